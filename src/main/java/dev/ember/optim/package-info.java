/**
 * Optimizers ({@code torch.optim}): {@link dev.ember.optim.SGD}, {@link dev.ember.optim.Adam},
 * {@link dev.ember.optim.AdamW}, {@link dev.ember.optim.RMSprop}, {@link dev.ember.optim.Adagrad} and
 * {@link dev.ember.optim.ASGD} on the {@link dev.ember.optim.Optimizer} base (param groups, state, PyTorch 1.13's
 * update rules and state_dict layout, whose Python values are mapped as {@link dev.ember.optim.PyValues} says),
 * plus {@link dev.ember.optim.EarlyStopping}. Learning-rate schedulers are in {@code dev.ember.optim.lr_scheduler};
 * gradient clipping is {@code dev.ember.nn.utils.ClipGrad}.
 */
package dev.ember.optim;
