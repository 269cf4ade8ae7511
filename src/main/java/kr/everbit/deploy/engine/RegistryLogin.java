package kr.everbit.deploy.engine;


/** A registry user and its token (for GHCR: the GitHub user and a token with packages scope). */
public record RegistryLogin(String user, Secret token) {
    public RegistryLogin {
        if (user == null || !user.matches("[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")) {
            throw new InvalidInputException("{registryUser} '" + Printable.of(user) + "' is not a registry user name");
        }
        if (token == null) {
            throw new InvalidInputException("a registry token is required with {registryUser}"
                    + " ({registryToken})");
        }
    }
}
