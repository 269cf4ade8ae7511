package hudson;

import java.util.Map;
import java.util.TreeMap;

/** API shim (compile-only, never packaged): real signatures of hudson.EnvVars. */
public class EnvVars extends TreeMap<String, String> {
    public EnvVars() {
    }

    public EnvVars(Map<String, String> m) {
        super(m);
    }

    @Override
    public String put(String key, String value) {
        return super.put(key, value);
    }
}
