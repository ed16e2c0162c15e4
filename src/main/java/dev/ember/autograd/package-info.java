/** Graph recording, the backward engine, grad mode, torch.autograd.grad. */
package dev.ember.autograd;
