package dev.ember;

/** Build facts shared by the server metadata endpoints and the CLI. */
public final class EmberInfo {
    public static final String NAME = "ember";
    public static final String VERSION = "0.1.0";

    private EmberInfo() {}
}
