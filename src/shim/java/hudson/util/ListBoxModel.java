package hudson.util;

import java.util.ArrayList;

/** API shim (compile-only, never packaged): real signatures of hudson.util.ListBoxModel. */
public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public ListBoxModel() {
    }

    public static final class Option {
        public Option(String name, String value) {
        }
    }
}
