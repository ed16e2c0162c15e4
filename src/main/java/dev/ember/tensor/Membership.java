package dev.ember.tensor;

/**
 * isin: whether each element is among the test elements, compared in their promoted dtype, as a bool tensor of the
 * elements' shape. PyTorch picks a brute-force comparison for few test elements and a sort of both otherwise; they agree
 * except when {@code assumeUnique} is given falsely, where the sort's answer for repeated elements is kept here too.
 */
final class Membership {
    private Membership() {}

    static Tensor isin(Tensor elements, Tensor test, boolean assumeUnique, boolean invert) {
        checkDtype(elements.dtype());
        checkDtype(test.dtype());
        int n = elements.numel();
        if (n == 0) return Tensor.zeros(elements.layout().shape(), DType.BOOL);
        DType common = TypePromotion.resultType(elements, test);
        // numpy's heuristic, which ATen copies: brute force below 10 n^0.145 test elements
        if (test.numel() < (long) (10.0 * Math.pow(n, 0.145))) {
            // the test elements are viewed flat, not reshaped: a non-contiguous one fails, as in PyTorch
            Tensor flat = test.to(common).view(-1);
            Tensor hit = elements.to(common).unsqueeze(-1).eq(flat).any(-1).contiguous();
            return invert ? hit.logicalNot() : hit;
        }
        return sorting(elements, test, assumeUnique, invert);
    }

    /**
     * ATen's isin_sorting: a stable sort of the (unique) elements followed by the (unique) test elements; an element
     * is in the set when the next sorted value equals it.
     */
    private static Tensor sorting(Tensor elements, Tensor test, boolean assumeUnique, boolean invert) {
        Tensor elementsFlat, testFlat, uniqueOrder = null;
        if (assumeUnique) {
            elementsFlat = elements.reshape(-1);
            testFlat = test.reshape(-1);
        } else {
            Tensor.Unique u = elements.unique(false, true, false);
            elementsFlat = u.values();
            uniqueOrder = u.inverseIndices();
            testFlat = test.unique(false, false, false).values();
        }
        Tensor.ValuesIndices sorted = Tensor.cat(java.util.List.of(elementsFlat, testFlat), 0).sort(0, false, true);
        int total = sorted.values().numel();
        Tensor next = sorted.values().narrow(0, 1, total - 1), here = sorted.values().narrow(0, 0, total - 1);
        Tensor duplicate = Tensor.cat(java.util.List.of(invert ? next.ne(here) : next.eq(here), Tensor.full(new int[] {1}, invert)), 0);
        Tensor mask = Tensor.zerosLike(duplicate).indexCopy(0, sorted.indices(), duplicate);
        if (assumeUnique) return mask.narrow(0, 0, elements.numel()).view(elements.layout().shape());
        return mask.index(uniqueOrder).view(elements.layout().shape());
    }

    private static void checkDtype(DType t) {
        if (t == DType.BOOL || t == DType.BFLOAT16)
            throw new IllegalArgumentException("Unsupported input type encountered for isin(): " + TypePromotion.typeName(t));
    }
}
