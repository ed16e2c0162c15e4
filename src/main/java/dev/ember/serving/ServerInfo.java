package dev.ember.serving;

import dev.ember.EmberInfo;

import java.util.List;

/** What server metadata reports: name, version and the protocol extensions Ember really implements. */
public final class ServerInfo {
    public static final String NAME = EmberInfo.NAME;
    public static final String VERSION = EmberInfo.VERSION;
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data", "model_repository", "statistics", "model_configuration");

    private ServerInfo() {}
}
