package kr.everbit.deploy.jenkins;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import org.apache.commons.beanutils.ConvertUtilsBean;
import org.apache.commons.beanutils.Converter;
import org.apache.commons.beanutils.PropertyUtils;
import org.apache.commons.beanutils.converters.DoubleConverter;
import org.apache.commons.beanutils.converters.FloatConverter;
import org.apache.commons.beanutils.converters.IntegerConverter;

/**
 * Test double of Stapler's {@code RequestImpl.bindJSON(Object bean, JSONObject src)}, which
 * {@code GlobalConfiguration.configure} calls to save a System page (stapler 2050, read from its source): for each
 * submitted key, the property's type is the parameter of commons-beanutils' write method (the JDK Introspector's;
 * no write method and no public field: the key is skipped without an error); a null value becomes the type's VM
 * default; a value is converted with Stapler's {@code ConvertUtilsBean} (boxed numbers map "" to null, primitives
 * to 0) and set with {@code PropertyUtils.setSimpleProperty}. Jenkins' form JSON carries text fields as strings and
 * checkboxes as booleans. Runs the real commons-beanutils; only the JSON object is a plain map here.
 */
final class StaplerJsonBinding {
    private static final ConvertUtilsBean CONVERT_UTILS = new ConvertUtilsBean();

    static {
        CONVERT_UTILS.register(new IntegerConverter(null), Integer.class);
        CONVERT_UTILS.register(new FloatConverter(null), Float.class);
        CONVERT_UTILS.register(new DoubleConverter(null), Double.class);
    }

    private StaplerJsonBinding() {
    }

    static void bindJSON(Object bean, Map<String, ?> form) throws ReflectiveOperationException {
        for (Map.Entry<String, ?> e : form.entrySet()) {
            Class<?> type = propertyType(bean, e.getKey());
            if (type != null) {
                copyProperty(bean, e.getKey(), convert(type, e.getValue()));
            }
        }
    }

    private static Class<?> propertyType(Object bean, String name) throws ReflectiveOperationException {
        PropertyDescriptor d = descriptor(bean, name);
        if (d != null && d.getWriteMethod() != null) {
            return d.getWriteMethod().getParameterTypes()[0];
        }
        Field f = publicField(bean, name);
        return f == null ? null : f.getType();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Class<?> type, Object value) {
        if (value == null) {
            return vmDefault(type);
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) type, value.toString());
        }
        Converter c = CONVERT_UTILS.lookup(type);
        if (c == null) {
            throw new IllegalArgumentException("Unable to convert to " + type);
        }
        return c.convert(type, value);
    }

    private static void copyProperty(Object bean, String name, Object value) throws ReflectiveOperationException {
        PropertyDescriptor d = descriptor(bean, name);
        if (d != null && d.getWriteMethod() != null) {
            Converter c = CONVERT_UTILS.lookup(d.getPropertyType());
            PropertyUtils.setSimpleProperty(bean, name, c == null ? value : c.convert(d.getPropertyType(), value));
            return;
        }
        Field f = publicField(bean, name);
        if (f != null) {
            f.set(bean, value);
        }
    }

    private static PropertyDescriptor descriptor(Object bean, String name) throws ReflectiveOperationException {
        try {
            return PropertyUtils.getPropertyDescriptor(bean, name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Field publicField(Object bean, String name) {
        try {
            return bean.getClass().getField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static Object vmDefault(Class<?> type) {
        return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
    }

    /** The setter Stapler would call for a key, or null when it skips the key. */
    static Method writeMethod(Object bean, String name) throws ReflectiveOperationException {
        PropertyDescriptor d = descriptor(bean, name);
        return d == null ? null : d.getWriteMethod();
    }
}
