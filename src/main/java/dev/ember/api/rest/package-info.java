/** REST adapters: the Open Inference Protocol over HTTP, translating JSON to serving calls and back. */
package dev.ember.api.rest;
