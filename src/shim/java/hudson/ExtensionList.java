package hudson;

import java.util.AbstractList;

/** API shim (compile-only, never packaged): real signatures of hudson.ExtensionList. */
public class ExtensionList<T> extends AbstractList<T> {
    private ExtensionList() {
    }

    public static <U> U lookupSingleton(Class<U> type) {
        throw new UnsupportedOperationException("compile-only API shim: no Jenkins here");
    }

    @Override
    public T get(int index) {
        throw new UnsupportedOperationException("compile-only API shim");
    }

    @Override
    public int size() {
        throw new UnsupportedOperationException("compile-only API shim");
    }
}
