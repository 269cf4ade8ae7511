package kr.everbit.deploy.engine;

import java.util.regex.Pattern;

/**
 * An image repository without a tag, such as {@code ghcr.io/owner/server}: the tag is always a {@link Release}.
 * The grammar is Docker's reference grammar, so no value outside it reaches a command line or the VM.
 */
public record ImageRef(String repository) {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String HOST = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?";
    private static final Pattern REPOSITORY = Pattern.compile("(?:" + HOST + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*");

    public ImageRef {
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw new InvalidInputException("{image} '" + Printable.of(repository)
                    + "' is not an image repository: expected e.g. ghcr.io/OWNER/server, lowercase, without a tag");
        }
        if (repository.contains("@")) {
            throw new InvalidInputException("{image} must not carry a digest; the tag is the release SHA");
        }
    }

    public static ImageRef of(String repository) {
        return new ImageRef(repository);
    }

    /** The image for one release: {@code REPO:SHA}. */
    public String tagged(Release release) {
        return repository + ":" + release.sha();
    }

    /** The registry that holds this repository, as {@code docker login} expects it. */
    public String registry() {
        int slash = repository.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = repository.substring(0, slash);
        boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        return isHost ? first : "docker.io";
    }

    @Override
    public String toString() {
        return repository;
    }
}
