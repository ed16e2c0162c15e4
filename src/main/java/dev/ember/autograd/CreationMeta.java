package dev.ember.autograd;

/**
 * How a view was made, PyTorch's {@code CreationMeta}: it decides whether the view may be written in place, and
 * whether its history may be re-derived after its base (or another view of it) was. A view of a view inherits its
 * base's kind unless it is made in a way of its own ({@code propagate_creation_meta}).
 */
public enum CreationMeta {
    /** An ordinary view: in-place writes through it become a CopySlices on the base. */
    DEFAULT,
    /** Made under no_grad: it has no history, so neither it nor its base may be written in place with grad on. */
    NO_GRAD_MODE,
    /** One of several views one op returned (split, chunk, unbind): PyTorch cannot rebase a single output. */
    MULTI_OUTPUT_NODE,
    /** Returned by a custom {@link Function} (made in its forward, or an input returned as-is): its backward is the user's. */
    IN_CUSTOM_FUNCTION;

    /** The kind of a view of a view: the new kind where it has one, else the base view's. */
    CreationMeta propagate(CreationMeta made) { return made == DEFAULT ? this : made; }

    /** PyTorch's handle_view_on_rebase text after the first sentence. */
    String remedy() {
        return switch (this) {
            case MULTI_OUTPUT_NODE -> " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be "
                    + "modified inplace. You should replace the inplace operation by an out-of-place one.";
            case NO_GRAD_MODE -> " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view "
                    + "and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the "
                    + "inplace to be tracked).";
            case IN_CUSTOM_FUNCTION -> " This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic "
                    + "to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. "
                    + "This behavior is forbidden. You can fix this by cloning the output of the custom Function.";
            case DEFAULT -> "";
        };
    }
}
