package io.gmgate.ca;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A firm's subject naming rule, e.g. {@code CN={account}@{device},OU=Traders,O=Example Futures,C=CN}
 * (the clearing house names its gateways {@code CN=JSB0000@3,...}). Placeholders are filled with the
 * request's values, escaped per RFC 4514 §2.4 so a value cannot add attributes.
 */
public record SubjectTemplate(String pattern) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    public static final SubjectTemplate DEFAULT = new SubjectTemplate("CN={account},O=gmgate,C=CN");

    public SubjectTemplate {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("subject template is empty");
        }
        new X500Name(BCStyle.INSTANCE, PLACEHOLDER.matcher(pattern).replaceAll("x"));
    }

    public X500Name render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null || v.isEmpty()) {
                throw new CaException(CaErrors.REQUEST_REJECTED, "subject template needs a value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape(v)));
        }
        m.appendTail(out);
        return new X500Name(BCStyle.INSTANCE, out.toString());
    }

    static String escape(String v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (",+\"\\<>;=#".indexOf(c) >= 0 || (c == ' ' && (i == 0 || i == v.length() - 1))) {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }
}
