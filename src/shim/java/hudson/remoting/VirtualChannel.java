package hudson.remoting;

/** API shim (compile-only, never packaged): hudson.remoting.VirtualChannel, no member used. */
public interface VirtualChannel {
}
