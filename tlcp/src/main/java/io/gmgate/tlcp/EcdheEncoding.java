package io.gmgate.tlcp;

/**
 * The two forms of the ECDHE ClientKeyExchange seen in the field (design §13): GmSSL wraps
 * ECParameters and the point in a 2-byte length (reading {@code opaque ClientECDHEParams<1..2^16-1>}
 * literally); Tongsuo and BGMProvider send them bare. Servers accept both; clients send one.
 */
public enum EcdheEncoding { BARE, LENGTH_PREFIXED }
