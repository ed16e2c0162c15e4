package dev.ember.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * {@code torch.einsum}, computed as ATen 1.13 computes it (so that values, result strides and errors match):
 * every operand is aligned to one dim order (the output's labels, then the summed labels in label order, upper
 * case before lower case), repeated labels taking a diagonal and missing labels a size-1 dim; then the operands are
 * contracted left to right, each pair by one {@code bmm} ({@link #sumProductPair}), and dims that only one operand
 * still has are summed first. Gradients come from the ops used (permute, reshape, bmm, sum).
 */
final class Einsum {
    private Einsum() {}

    private static final int LABELS = 52;
    private static final int ELLIPSIS = LABELS;

    static Tensor einsum(String equation, List<Tensor> operands) {
        if (operands.isEmpty()) throw new IllegalArgumentException("einsum(): must provide at least one operand");
        int arrow = equation.indexOf("->");
        String lhs = arrow < 0 ? equation : equation.substring(0, arrow);
        int numOps = operands.size();
        List<List<Integer>> opLabels = parseInputs(lhs, numOps);

        int[] labelCount = new int[LABELS];
        int ellDims = 0;
        for (int i = 0; i < numOps; i++) {
            int ndim = operands.get(i).dim(), nlabels = 0;
            boolean ellipsis = false;
            for (int l : opLabels.get(i)) {
                if (l == ELLIPSIS) ellipsis = true;
                else {
                    nlabels++;
                    labelCount[l]++;
                }
            }
            if (ellipsis) ellDims = Math.max(ellDims, ndim - nlabels);
            if (ellipsis ? nlabels > ndim : nlabels != ndim)
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + nlabels + ") "
                        + (ellipsis ? "is more than the number of dimensions (" : "does not match the number of dimensions (") + ndim + ") for operand " + i
                        + (ellipsis ? "" : " and no ellipsis was given"));
        }

        // where each label lands in the aligned order: output dims first, then the dims to sum out
        int[] permIndex = new int[LABELS];
        Arrays.fill(permIndex, -1);
        int next = 0, ellIndex = 0;
        boolean ellInOutput = false;
        if (arrow < 0) {
            next = ellDims; // implicit output: the ellipsis dims, then every label seen once, in label order
            ellInOutput = true;
            for (int l = 0; l < LABELS; l++) if (labelCount[l] == 1) permIndex[l] = next++;
        } else {
            String rhs = equation.substring(arrow + 2);
            for (int i = 0; i < rhs.length(); i++) {
                char c = rhs.charAt(i);
                if (c == ' ') continue;
                if (c == '.') {
                    if (ellInOutput) throw new IllegalArgumentException("einsum(): found '.' for output but an ellipsis (...) was already found");
                    if (!(i + 2 < rhs.length() && rhs.charAt(++i) == '.' && rhs.charAt(++i) == '.'))
                        throw new IllegalArgumentException("einsum(): found '.' for output that is not part of any ellipsis (...)");
                    ellIndex = next;
                    next += ellDims;
                    ellInOutput = true;
                    continue;
                }
                if (!isSubscript(c))
                    throw new IllegalArgumentException("einsum(): invalid subscript given at index " + (lhs.length() + 2 + i)
                            + " in the equation string, subscripts must be in [a-zA-Z]");
                int l = label(c);
                if (labelCount[l] == 0 || permIndex[l] != -1)
                    throw new IllegalArgumentException("einsum(): output subscript " + c
                            + (permIndex[l] > -1 ? " appears more than once in the output" : " does not appear in the equation for any input operand"));
                permIndex[l] = next++;
            }
        }
        int outDims = next;
        if (!ellInOutput) {
            ellIndex = next;
            next += ellDims;
        }
        for (int l = 0; l < LABELS; l++) if (labelCount[l] > 0 && permIndex[l] == -1) permIndex[l] = next++;
        int allDims = next;

        // align: check sizes, take diagonals of repeated labels, add size-1 dims for missing ones, permute
        int[] labelSize = new int[LABELS], ellSizes = new int[ellDims];
        Arrays.fill(labelSize, 1);
        Arrays.fill(ellSizes, 1);
        int[] dimCounts = new int[allDims]; // how many operands have each aligned dim at a size other than 1
        Deque<Tensor> ops = new ArrayDeque<>();
        for (int i = 0; i < numOps; i++) {
            Tensor op = operands.get(i);
            int[] perm = new int[allDims];
            Arrays.fill(perm, -1);
            int dim = 0;
            for (int l : opLabels.get(i)) {
                if (l == ELLIPSIS) {
                    int covered = operands.get(i).dim() - (opLabels.get(i).size() - 1);
                    for (int j = ellDims - covered; j < ellDims; j++) {
                        if (op.size(dim) != 1) {
                            if (ellSizes[j] != 1 && ellSizes[j] != op.size(dim))
                                throw new IllegalArgumentException("einsum(): dimension " + dim + " covered by ellipsis in operand " + i + "has size " + op.size(dim)
                                        + " which does not broadcast with previously seen ellipsis with size " + ellSizes[j] + " for the respective dimension");
                            ellSizes[j] = op.size(dim);
                            dimCounts[ellIndex + j]++;
                        }
                        perm[ellIndex + j] = dim++;
                    }
                } else if (perm[permIndex[l]] == -1) {
                    if (op.size(dim) != 1) {
                        if (labelSize[l] != 1 && labelSize[l] != op.size(dim))
                            throw new IllegalArgumentException("einsum(): subscript " + subscript(l) + " has size " + op.size(dim) + " for operand " + i
                                    + " which does not broadcast with previously seen size " + labelSize[l]);
                        labelSize[l] = op.size(dim);
                        dimCounts[permIndex[l]]++;
                    }
                    perm[permIndex[l]] = dim++;
                } else {
                    int prev = perm[permIndex[l]];
                    if (op.size(dim) != op.size(prev))
                        throw new IllegalArgumentException("einsum(): subscript " + subscript(l) + " is repeated for operand " + i
                                + " but the sizes don't match, " + op.size(dim) + " != " + op.size(prev));
                    op = op.diagonal(0, prev, dim).movedim(-1, prev);
                }
            }
            for (int k = 0; k < allDims; k++) {
                if (perm[k] == -1) {
                    op = op.unsqueeze(dim);
                    perm[k] = dim++;
                }
            }
            ops.addLast(op.permute(perm));
        }

        // contract left to right; a summed dim goes once no later operand has it at a size other than 1
        while (ops.size() > 1) {
            Tensor a = ops.pollFirst(), b = ops.pollFirst();
            List<Integer> sumDims = new ArrayList<>(), aSum = new ArrayList<>(), bSum = new ArrayList<>();
            for (int d = outDims; d < allDims; d++) {
                if (a.size(d) != 1 && b.size(d) != 1) {
                    if (--dimCounts[d] == 1) {
                        sumDims.add(d);
                        dimCounts[d] = 0;
                    }
                } else if (dimCounts[d] == 1) {
                    if (a.size(d) != 1) {
                        aSum.add(d);
                        dimCounts[d] = 0;
                    } else if (b.size(d) != 1) {
                        bSum.add(d);
                        dimCounts[d] = 0;
                    }
                }
            }
            if (!aSum.isEmpty()) a = a.sum(ints(aSum), true);
            if (!bSum.isEmpty()) b = b.sum(ints(bSum), true);
            ops.addFirst(sumProductPair(a, b, ints(sumDims)));
        }
        Tensor result = ops.getFirst();
        if (allDims > outDims) {
            if (numOps > 1) return result.view(Arrays.copyOf(result.layout().shape(), outDims)); // the summed dims are size 1 by now
            int[] sum = new int[allDims - outDims];
            for (int k = 0; k < sum.length; k++) sum[k] = outDims + k;
            return result.sum(sum, false);
        }
        return result;
    }

    /** Each operand's labels (0-51, or ELLIPSIS) from the left-hand side. */
    private static List<List<Integer>> parseInputs(String lhs, int numOps) {
        List<List<Integer>> labels = new ArrayList<>();
        labels.add(new ArrayList<>());
        boolean ellipsis = false;
        for (int i = 0; i < lhs.length(); i++) {
            char c = lhs.charAt(i);
            int op = labels.size() - 1;
            switch (c) {
                case ' ' -> { }
                case '.' -> {
                    if (ellipsis) throw new IllegalArgumentException("einsum(): found '.' for operand " + op + " for which an ellipsis was already found");
                    if (!(i + 2 < lhs.length() && lhs.charAt(++i) == '.' && lhs.charAt(++i) == '.'))
                        throw new IllegalArgumentException("einsum(): found '.' for operand " + op + " that is not part of any ellipsis");
                    labels.get(op).add(ELLIPSIS);
                    ellipsis = true;
                }
                case ',' -> {
                    if (labels.size() >= numOps) throw new IllegalArgumentException("einsum(): fewer operands were provided than specified in the equation");
                    labels.add(new ArrayList<>());
                    ellipsis = false;
                }
                default -> {
                    if (!isSubscript(c))
                        throw new IllegalArgumentException("einsum(): invalid subscript given at index " + i + " in the equation string, subscripts must be in [a-zA-Z]");
                    labels.get(op).add(label(c));
                }
            }
        }
        if (labels.size() != numOps) throw new IllegalArgumentException("einsum(): more operands were provided than specified in the equation");
        return labels;
    }

    /**
     * {@code (left * right).sum(sumDims, keepdim=True)} for operands of equal rank, as one bmm: dims both have
     * (batch), dims only the left or only the right has, and the summed dims become [batch, lo, sum] @ [batch,
     * sum, ro], and the product is viewed and permuted back into the operands' dim order.
     */
    private static Tensor sumProductPair(Tensor left, Tensor right, int[] sumDims) {
        if (sumDims.length == 0) return left.mul(right);
        int n = left.dim();
        boolean[] summed = new boolean[n];
        for (int d : sumDims) summed[d] = true;
        List<Integer> lro = new ArrayList<>(), lo = new ArrayList<>(), ro = new ArrayList<>();
        long lroSize = 1, loSize = 1, roSize = 1, sumSize = 1;
        for (int i = 0; i < n; i++) {
            boolean sl = left.size(i) != 1, sr = right.size(i) != 1;
            if (summed[i]) {
                if (sl && sr) {
                    checkMatch(left, right, i);
                    sumSize *= left.size(i);
                } else if (sl) left = left.sum(new int[] {i}, true);
                else if (sr) right = right.sum(new int[] {i}, true);
            } else if (sl && sr) {
                checkMatch(left, right, i);
                lro.add(i);
                lroSize *= left.size(i);
            } else if (sl) {
                lo.add(i);
                loSize *= left.size(i);
            } else {
                ro.add(i);
                roSize *= right.size(i);
            }
        }
        List<Integer> outSize = new ArrayList<>(), lperm = new ArrayList<>(lro), rperm = new ArrayList<>(lro), order = new ArrayList<>(lro);
        for (int d : lro) outSize.add(left.size(d));
        for (int d : lo) outSize.add(left.size(d));
        for (int ignored : sumDims) outSize.add(1);
        for (int d : ro) outSize.add(right.size(d));
        lperm.addAll(lo);
        for (int d : sumDims) lperm.add(d);
        lperm.addAll(ro);
        for (int d : sumDims) rperm.add(d);
        rperm.addAll(ro);
        rperm.addAll(lo);
        order.addAll(lo);
        for (int d : sumDims) order.add(d);
        order.addAll(ro);
        int[] operm = new int[n];
        for (int k = 0; k < n; k++) operm[order.get(k)] = k;
        Tensor l = left.permute(ints(lperm)).reshape((int) lroSize, (int) loSize, (int) sumSize);
        Tensor r = right.permute(ints(rperm)).reshape((int) lroSize, (int) sumSize, (int) roSize);
        return l.bmm(r).view(ints(outSize)).permute(operm);
    }

    private static void checkMatch(Tensor left, Tensor right, int d) {
        if (left.size(d) != right.size(d)) throw new IllegalArgumentException("non-broadcast dimensions must match");
    }

    private static boolean isSubscript(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    /** Upper-case letters are labels 0-25 and lower-case 26-51, so upper case sorts first, as in ATen. */
    private static int label(char c) { return c <= 'Z' ? c - 'A' : c - 'a' + 26; }

    private static char subscript(int label) { return (char) (label < 26 ? 'A' + label : 'a' + label - 26); }

    private static int[] ints(List<Integer> xs) { return xs.stream().mapToInt(Integer::intValue).toArray(); }
}
