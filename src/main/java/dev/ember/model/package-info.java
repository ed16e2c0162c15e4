/** Builds a Module graph from a model.json spec and runs its forward graph. */
package dev.ember.model;
