/** Command-line tools behind bin/ember (inspect). */
package dev.ember.cli;
