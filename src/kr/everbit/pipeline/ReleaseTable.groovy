package kr.everbit.pipeline

/** Renders the ledger's recent releases (from everbitReleases) for the build log, newest first. */
class ReleaseTable implements Serializable {
    private static final long serialVersionUID = 1L

    static String render(List releases) {
        if (!releases) {
            return 'The release ledger on the VM is empty: there is nothing to roll back to yet.'
        }
        StringBuilder out = new StringBuilder('Recent releases on the VM (newest first):\n')
        out.append(row('SHA', 'ACTION', 'RESULT', 'AT'))
        for (Object release : releases) {
            Map r = (Map) release
            out.append(row(shortSha(r.sha), r.action, r.result, r.at))
        }
        return out.toString()
    }

    /** The first 12 characters: enough to type into the SHA parameter. */
    static String shortSha(Object sha) {
        String s = sha == null ? '?' : sha.toString()
        return s.length() > 12 ? s.substring(0, 12) : s
    }

    private static String row(Object sha, Object action, Object result, Object at) {
        return '  ' + cell(sha, 14) + cell(action, 10) + cell(result, 9) + (at ?: '') + '\n'
    }

    private static String cell(Object value, int width) {
        return (value == null ? '' : value.toString()).padRight(width)
    }
}
