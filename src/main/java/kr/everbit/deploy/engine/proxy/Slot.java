package kr.everbit.deploy.engine.proxy;

/** One of the two places a release of the service runs in proxy mode. */
public enum Slot {
    BLUE, GREEN;

    /** The slot's compose service: {@code server-blue}. */
    public String service(String service) {
        return service + "-" + name().toLowerCase();
    }

    public Slot other() {
        return this == BLUE ? GREEN : BLUE;
    }

    public int port(ProxySettings settings) {
        return this == BLUE ? settings.bluePort() : settings.greenPort();
    }

    /** Where Nginx reaches the slot: {@code host:port}, the host being the slot's service name on a compose network. */
    public String address(ProxySettings settings, String service) {
        return (settings.host() == null ? service(service) : settings.host()) + ":" + port(settings);
    }

    /** The slot named in a state file, or null for anything else (the plain service, before proxy mode). */
    public static Slot named(String service, String name) {
        for (Slot slot : values()) {
            if (slot.service(service).equals(name)) {
                return slot;
            }
        }
        return null;
    }
}
