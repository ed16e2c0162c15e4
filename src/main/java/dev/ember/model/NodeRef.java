package dev.ember.model;

/** A node's value used in another node's args: {@code {"node": "conv1"}} in model.json, a Proxy in torch.fx. */
public record NodeRef(String name) {
    @Override
    public String toString() { return name; }
}
