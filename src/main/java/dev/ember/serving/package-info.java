/** The model repository, versions, dynamic batching, inference and fine-tuning jobs, framework-agnostic services. */
package dev.ember.serving;
