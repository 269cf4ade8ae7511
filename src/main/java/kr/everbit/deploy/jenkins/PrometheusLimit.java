package kr.everbit.deploy.jenkins;

import org.kohsuke.stapler.DataBoundConstructor;

/**
 * One entry of verifyHealth's {@code prometheus: [[url:, query:, max:]]}: an instant query that every sample of
 * must stay at or below {@code max}.
 */
public final class PrometheusLimit {
    private final String url;
    private final String query;
    private final double max;

    @DataBoundConstructor
    public PrometheusLimit(String url, String query, double max) {
        this.url = Settings.blankToNull(url);
        this.query = Settings.blankToNull(query);
        this.max = max;
    }

    public String getUrl() {
        return url;
    }

    public String getQuery() {
        return query;
    }

    public double getMax() {
        return max;
    }
}
