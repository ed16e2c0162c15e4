package dev.ember.autograd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.Kw;
import dev.ember.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The step table of the autograd scripts (tools/fixtures/fx_autograd_scripts.py, table {@code PY}), step by step:
 * how each step runs on its operands. A step returns the values it makes, or an empty list.
 */
final class AutogradScripts {
    private AutogradScripts() {}

    static List<Tensor> run(String op, Tensor[] a, Kw k, FixtureFile file) {
        Tensor x = a.length > 0 ? a[0] : null;
        return switch (op) {
            case "unary" -> List.of(unary(x, k.s("f")));
            case "binary" -> List.of(binary(x, a[1], k.s("f")));
            case "scalar" -> List.of(scalar(x, k.s("f"), k.d("s")));
            case "sum_dim" -> List.of(x.sum(k.i("dim")));
            case "view" -> List.of(view(x, k));
            case "inplace" -> {
                inplace(x, a.length > 1 ? a[1] : null, k.s("f"));
                yield List.of();
            }
            case "inplace_scalar" -> {
                inplaceScalar(x, k.s("f"), k.d("s"));
                yield List.of();
            }
            case "requires_grad_" -> {
                x.requiresGrad_(k.b("b"));
                yield List.of();
            }
            case "retain_grad" -> {
                x.retainGrad();
                yield List.of();
            }
            case "detach_" -> {
                x.detach_();
                yield List.of();
            }
            case "set_grad" -> {
                x.setGrad(k.has("v") ? Tensor.full(x.shape(), k.d("v"), x.dtype()) : null);
                yield List.of();
            }
            case "hook" -> {
                double s = k.d("s");
                x.registerHook(g -> g.mul(s));
                yield List.of();
            }
            case "backward" -> {
                int n = k.i("n");
                Tensor[] inputs = k.has("inputs") ? Arrays.copyOfRange(a, n, a.length) : null;
                Autograd.backward(Arrays.copyOf(a, n), gradients(k, file), k.b("retain"), k.b("create"), inputs);
                yield List.of();
            }
            case "grad" -> {
                int n = k.i("n");
                yield Arrays.asList(Autograd.grad(Arrays.copyOf(a, n), Arrays.copyOfRange(a, n, a.length), gradients(k, file), k.b("retain"),
                        k.b("create"), k.b("unused")));
            }
            default -> throw new IllegalArgumentException("unknown step " + op);
        };
    }

    private static Tensor unary(Tensor x, String f) {
        return switch (f) {
            case "exp" -> x.exp();
            case "sin" -> x.sin();
            case "tanh" -> x.tanh();
            case "sigmoid" -> x.sigmoid();
            case "relu" -> x.relu();
            case "neg" -> x.neg();
            case "clone" -> x.clone();
            case "sum" -> x.sum();
            case "mean" -> x.mean();
            case "abs" -> x.abs();
            default -> throw new IllegalArgumentException("unknown unary " + f);
        };
    }

    private static Tensor binary(Tensor x, Tensor y, String f) {
        return switch (f) {
            case "add" -> x.add(y);
            case "mul" -> x.mul(y);
            case "sub" -> x.sub(y);
            case "matmul" -> x.matmul(y);
            default -> throw new IllegalArgumentException("unknown binary " + f);
        };
    }

    private static Tensor scalar(Tensor x, String f, double s) {
        return switch (f) {
            case "mul" -> x.mul(s);
            case "add" -> x.add(s);
            case "pow" -> x.pow(s);
            case "div" -> x.div(s);
            default -> throw new IllegalArgumentException("unknown scalar op " + f);
        };
    }

    private static Tensor view(Tensor x, Kw k) {
        return switch (k.s("f")) {
            case "view" -> x.view(-1);
            case "t" -> x.t();
            case "unsqueeze" -> x.unsqueeze(0);
            case "select" -> x.select(0, k.i("i"));
            case "narrow" -> x.narrow(0, k.i("i"), 1);
            case "expand" -> {
                int[] shape = new int[x.dim() + 1];
                shape[0] = 2;
                System.arraycopy(x.shape(), 0, shape, 1, x.dim());
                yield x.expand(shape);
            }
            case "detach" -> x.detach();
            default -> throw new IllegalArgumentException("unknown view " + k.s("f"));
        };
    }

    private static void inplace(Tensor x, Tensor y, String f) {
        switch (f) {
            case "exp_" -> x.exp_();
            case "sigmoid_" -> x.sigmoid_();
            case "tanh_" -> x.tanh_();
            case "zero_" -> x.zero_();
            case "neg_" -> x.neg_();
            case "relu_" -> x.relu_();
            case "add_" -> x.add_(y);
            case "mul_" -> x.mul_(y);
            case "sub_" -> x.sub_(y);
            case "copy_" -> x.copy_(y);
            default -> throw new IllegalArgumentException("unknown in-place op " + f);
        }
    }

    private static void inplaceScalar(Tensor x, String f, double s) {
        switch (f) {
            case "mul_" -> x.mul_(s);
            case "add_" -> x.add_(s);
            case "pow_" -> x.pow_(s);
            case "div_" -> x.div_(s);
            default -> throw new IllegalArgumentException("unknown in-place op " + f);
        }
    }

    /** The step's upstream gradients (a null entry where the script passes None), or null for none at all. */
    private static Tensor[] gradients(Kw k, FixtureFile file) {
        if (!k.has("g")) return null;
        JsonNode g = k.node().get("g");
        Tensor[] out = new Tensor[g.size()];
        for (int i = 0; i < out.length; i++) out[i] = g.get(i).isNull() ? null : file.tensor(g.get(i).asText());
        return out;
    }
}
