/**
 * {@code torch.optim.lr_scheduler}: schedulers that set the {@code lr} (and, for OneCycleLR, the momentum) of an
 * optimizer's param groups once per step, in PyTorch 1.13's chainable form, with its closed forms for
 * {@code step(epoch)} and its state_dict keys. The package name mirrors PyTorch's module.
 */
package dev.ember.optim.lr_scheduler;
