package io.gmgate.tlcp;

/** Whether a TLCP server asks for a client certificate: one-way (NONE), optional, or two-way (REQUIRED). */
public enum ClientAuth { NONE, OPTIONAL, REQUIRED }
