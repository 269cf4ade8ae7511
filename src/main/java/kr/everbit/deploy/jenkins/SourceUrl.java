package kr.everbit.deploy.jenkins;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The repository URL for the image's OCI source label (GHCR links the package to it), from the GIT_URL that
 * Jenkins' git checkout sets. Only a plain http(s) URL without user info is taken: a URL carrying a token must
 * never end up in an image label.
 */
final class SourceUrl {
    private SourceUrl() {
    }

    static String from(Map<String, String> env) {
        String url = env.get("GIT_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (!web || uri.getUserInfo() != null || uri.getHost() == null || uri.getQuery() != null) {
                return null;
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("\\.git$", "");
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
