"""Models that exercise the graph interpreter's op tables beyond the tutorials: recurrent layers and cells (fx
falls back to make_fx for some, which decomposes the cells into ATen ops), attention, MultiheadAttention and
TransformerEncoder, gating and MobileNet-style activations, dense and depthwise convolutions, upsampling, creation
ops, statistics, sorting, advanced indexing and view juggling; order statistics, scans, scatter reductions, einsum,
binning and unique as users write them. models.py exports them with the rest; each case is
(factory, input maker, batch sizes, export options) as in models.CASES.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LSTMReg(nn.Module):
    def __init__(s):
        super().__init__(); s.lstm = nn.LSTM(3, 8, num_layers=2, batch_first=True); s.fc = nn.Linear(8, 1)
    def forward(s, x):
        out, _ = s.lstm(x); return s.fc(out[:, -1, :])

class BiGRU(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(30, 6, padding_idx=0); s.gru = nn.GRU(6, 5, batch_first=True, bidirectional=True); s.fc = nn.Linear(10, 4)
    def forward(s, ids):
        out, h = s.gru(s.emb(ids)); return s.fc(torch.cat([h[0], h[1]], dim=1))

class RNNTanh(nn.Module):
    def __init__(s):
        super().__init__(); s.rnn = nn.RNN(4, 6); s.fc = nn.Linear(6, 2)
    def forward(s, x):  # x: (batch, seq, feat) -> seq-first
        out, h = s.rnn(x.transpose(0, 1)); return s.fc(h.squeeze(0))

class Conv1dTS(nn.Module):
    def __init__(s):
        super().__init__(); s.c1 = nn.Conv1d(3, 8, 5, padding='same'); s.bn = nn.BatchNorm1d(8); s.c2 = nn.Conv1d(8, 8, 3, dilation=2, groups=2); s.pool = nn.MaxPool1d(2, ceil_mode=True); s.fc = nn.Linear(8, 3)
    def forward(s, x):
        h = s.pool(F.relu(s.bn(s.c1(x)))); h = F.leaky_relu(s.c2(h), 0.2); return s.fc(h.mean(-1))

class Attn(nn.Module):
    def __init__(s, d=8):
        super().__init__(); s.q = nn.Linear(d, d); s.k = nn.Linear(d, d); s.v = nn.Linear(d, d); s.ln = nn.LayerNorm(d); s.out = nn.Linear(d, 2); s.d = d
    def forward(s, x):
        att = s.q(x) @ s.k(x).transpose(-2, -1) / math.sqrt(s.d)
        att = att.softmax(dim=-1)
        h = s.ln(x + torch.matmul(att, s.v(x)))
        return s.out(h.max(dim=1)[0])

class Gated(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(6, 16); s.fc2 = nn.Linear(8, 3)
    def forward(s, x):
        a, b = torch.chunk(s.fc(x), 2, dim=-1)
        h = a * torch.sigmoid(b) + F.silu(a) - F.elu(b) + F.softplus(a) + F.hardtanh(b, -0.5, 0.5)
        h = torch.where(h > 0, h, 0.1 * h).clamp(min=-1.0, max=2.0)
        return s.fc2(h.pow(2) + h.abs().sqrt() * 0.1)

class DenseBlock(nn.Module):
    def __init__(s):
        super().__init__(); s.c1 = nn.Conv2d(3, 4, 3, padding=1); s.gn = nn.GroupNorm(7, 7); s.c2 = nn.Conv2d(7, 6, 3, padding=1, groups=1, bias=False)
        s.pool = nn.MaxPool2d(3, 2, ceil_mode=True); s.amp = nn.AdaptiveMaxPool2d((2, 2)); s.fc = nn.Linear(24, 5)
    def forward(s, x):
        h = torch.cat([x, F.relu(s.c1(x))], 1)
        h = s.pool(s.gn(h)); h = s.amp(s.c2(h))
        return s.fc(torch.flatten(h, 1))

class Decoder(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(4, 8 * 3 * 3); s.up = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1); s.un = nn.Unflatten(1, (8, 3, 3)); s.c = nn.Conv2d(4, 1, 3, padding=1)
    def forward(s, z):
        return torch.tanh(s.c(F.relu(s.up(s.un(s.fc(z))))))

class Misc(nn.Module):
    def __init__(s):
        super().__init__(); s.register_buffer("mean", torch.tensor([0.5, -0.2, 0.1])); s.register_buffer("std", torch.tensor([1.5, 0.7, 2.0])); s.fc = nn.Linear(12, 4); s.bil = nn.Bilinear(4, 3, 2)
    def forward(s, x):  # x (b, 4, 3)
        x = (x - s.mean) / s.std
        y = x.permute(0, 2, 1).reshape(x.shape[0], -1)
        h = F.gelu(s.fc(y), approximate='tanh')
        z = torch.stack([x.sum(1), x.std(1), x.amax(1) if hasattr(x, 'amax') else x.max(1)[0]], 0).mean(0)
        return F.log_softmax(s.bil(h, z) + y.exp().log().sum(-1, keepdim=True) * 0.01, dim=1)

class FuncNet(nn.Module):
    def __init__(s):
        super().__init__(); s.w = nn.Parameter(torch.randn(5, 3, 3, 3) * 0.2); s.b = nn.Parameter(torch.zeros(5)); s.lw = nn.Parameter(torch.randn(2, 5) * 0.3)
    def forward(s, x):
        h = F.conv2d(x, s.w, s.b, stride=1, padding=1)
        h = F.dropout(h, 0.3, training=s.training)
        h = F.adaptive_avg_pool2d(h, 1).squeeze(-1).squeeze(-1)
        h = F.layer_norm(h, (5,))
        return F.linear(h, s.lw)

class SeqMods(nn.Module):
    def __init__(s):
        super().__init__()
        s.net = nn.Sequential(nn.Flatten(start_dim=1), nn.Identity(), nn.Linear(12, 6), nn.ELU(), nn.Hardtanh(), nn.Linear(6, 6), nn.Softplus(), nn.Linear(6, 3), nn.Softmax(dim=-1))
    def forward(s, x): return s.net(x)

class ModList(nn.Module):
    def __init__(s):
        super().__init__(); s.layers = nn.ModuleList([nn.Linear(5, 5) for _ in range(3)]); s.heads = nn.ModuleDict({"a": nn.Linear(5, 2), "b": nn.Linear(5, 2)})
    def forward(s, x):
        for l in s.layers: x = x + torch.tanh(l(x))
        return s.heads["a"](x) * s.heads["b"](x)

class Stats(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(7, 3)
    def forward(s, x):
        z = (x - x.mean(dim=1, keepdim=True)) / (x.std(dim=1, keepdim=True) + 1e-5)
        feats = torch.cat([z, x.var(1, unbiased=False, keepdim=True), x.norm(dim=1, keepdim=True), torch.logsumexp(x, 1, keepdim=True),
                           x.amax(1, keepdim=True), x.cumsum(1)[:, -1:], (x > 0).float().sum(1, keepdim=True)], 1)
        return s.fc(feats[:, :7] + feats[:, 5:12].mean())

class PosEmb(nn.Module):
    def __init__(s):
        super().__init__(); s.tok = nn.Embedding(20, 8); s.pos = nn.Embedding(16, 8); s.ln = nn.LayerNorm(8); s.fc = nn.Linear(8, 2)
    def forward(s, ids):
        pos = torch.arange(ids.size(1), device=ids.device).unsqueeze(0).expand_as(ids)
        h = s.ln(s.tok(ids) + s.pos(pos))
        mask = (ids != 0).unsqueeze(-1).float()
        return s.fc((h * mask).sum(1) / mask.sum(1).clamp(min=1.0))

class Creation(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(4, 4)
    def forward(s, x):
        h0 = torch.zeros(x.size(0), 4)
        o = torch.ones_like(x) * 0.5 + x.new_zeros(x.shape) + torch.full((1, 4), 0.25)
        return s.fc(x + o) + h0 + torch.zeros_like(x)

class Normed(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(6, 6); s.fc2 = nn.Linear(6, 6)
    def forward(s, x):
        a = F.normalize(s.fc(x), dim=-1); b = F.normalize(s.fc2(x), p=2, dim=1)
        return torch.stack([F.cosine_similarity(a, b), (a * b).sum(-1), torch.clamp(a, -0.3, 0.3).sum(-1)], dim=1)

class TopK(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(10, 10)
    def forward(s, x):
        h = s.fc(x)
        v, i = h.topk(3, dim=1)
        srt, _ = torch.sort(h, dim=1, descending=True)
        g = torch.gather(h, 1, i)
        return v + g + srt[:, :3] + h.argmax(1, keepdim=True).float() * 0.01

class Where(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(5, 5)
    def forward(s, x):
        h = s.fc(x)
        h = torch.where(h > 0.1, h, torch.zeros_like(h)) + h.masked_fill(h < -0.5, 0.0) + torch.maximum(h, x) - torch.minimum(h, x * 0.5)
        return h.exp().log1p() + torch.sin(h) * torch.cos(x) + h.sign() * h.abs().sqrt() + torch.sigmoid(h).reciprocal()

class RNNSeq(nn.Module):
    """An LSTM with the state passed in the forward, traced through fx without tuple unpacking."""
    def __init__(s):
        super().__init__(); s.lstm = nn.LSTM(4, 6, batch_first=True, bidirectional=True); s.head = nn.Linear(12, 3)
    def forward(s, x):
        out = s.lstm(x)[0]
        return s.head(out.mean(1))

class Depthwise(nn.Module):
    def __init__(s):
        super().__init__()
        s.dw = nn.Conv2d(4, 4, 3, padding=1, groups=4); s.pw = nn.Conv2d(4, 8, 1); s.bn = nn.BatchNorm2d(8); s.act = nn.ReLU6(); s.pool = nn.AdaptiveAvgPool2d(1); s.drop = nn.Dropout(0.2); s.fc = nn.Linear(8, 3)
        with torch.no_grad():
            s.bn.running_mean.uniform_(-0.3, 0.3); s.bn.running_var.uniform_(0.5, 1.5)
    def forward(s, x):
        return s.fc(s.drop(s.pool(s.act(s.bn(s.pw(s.dw(x))))).flatten(1)))

class Upsampling(nn.Module):
    def __init__(s):
        super().__init__(); s.c = nn.Conv2d(2, 2, 3, padding='same', dilation=2); s.t = nn.ConvTranspose2d(2, 3, 2, stride=2); s.pool = nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False)
    def forward(s, x):
        return s.pool(s.t(torch.tanh(s.c(x))))

class ViewOps(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(6, 6)
    def forward(s, x):  # (b, 2, 3)
        b = x.shape[0]
        y = x.view(b, -1); y = s.fc(y).view(b, 3, 2).transpose(1, 2).contiguous()
        z = y.flip(2) + y.roll(1, 2) + torch.flip(y, [1])
        parts = torch.split(z, [1, 2], dim=2)
        return torch.cat([parts[1], parts[0], y.unsqueeze(1).squeeze(1)[..., :1]], dim=-1).reshape(b, -1)

class LastStep(nn.Module):
    def __init__(s):
        super().__init__(); s.gru = nn.GRU(3, 5, batch_first=True); s.fc = nn.Linear(5, 2); s.register_buffer("cols", torch.tensor([0, 2, 4]))
    def forward(s, x):
        out = s.gru(x)[0]
        last = out[torch.arange(out.size(0)), -1]
        return s.fc(last) + last[:, s.cols].sum(-1, keepdim=True)

class Celu(nn.Module):
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(4, 4)
    def forward(s, x):
        h = s.fc(x)
        return F.celu(h, 0.7) + F.selu(h) + F.logsigmoid(h) + F.relu6(h * 4) + F.pad(h, (1, 1))[:, 1:-1] + F.one_hot(h.argmax(1), 4).float()

class Drop2d(nn.Module):
    def __init__(s):
        super().__init__(); s.c = nn.Conv2d(2, 3, 3); s.fc = nn.Linear(3, 2)
    def forward(s, x):
        h = F.dropout2d(s.c(x), 0.3, training=s.training)
        return s.fc(F.adaptive_max_pool2d(h, 1).flatten(1))

class Pool1d(nn.Module):
    def __init__(s):
        super().__init__(); s.c = nn.Conv1d(2, 4, 3); s.fc = nn.Linear(4, 2)
    def forward(s, x):
        h = F.max_pool1d(torch.relu(s.c(x)), 2) + F.avg_pool1d(s.c(x), 2)
        return s.fc(F.adaptive_avg_pool1d(h, 1).squeeze(-1))

class Mobile(nn.Module):
    """MobileNetV3-style: hardswish, a squeeze-excite gate with hardsigmoid, pixel shuffle."""
    def __init__(s):
        super().__init__()
        s.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.Hardswish())
        s.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8); s.se1 = nn.Linear(8, 4); s.se2 = nn.Linear(4, 8)
        s.shuffle = nn.PixelShuffle(2); s.fc = nn.Linear(2 * 16 * 16, 3)
    def forward(s, x):
        h = s.dw(s.stem(x))
        g = F.hardsigmoid(s.se2(F.relu(s.se1(h.mean((2, 3))))))
        h = h * g[:, :, None, None]
        return s.fc(s.shuffle(h).flatten(1))


class UNetish(nn.Module):
    """Down, then up three ways (nearest by scale, bilinear by size, bilinear with align_corners), with a skip."""
    def __init__(s):
        super().__init__(); s.down = nn.Conv2d(1, 4, 3, padding=1); s.up = nn.Upsample(scale_factor=2, mode="nearest"); s.head = nn.Conv2d(12, 2, 1)
    def forward(s, x):
        d = F.max_pool2d(F.relu(s.down(x)), 2)
        a = s.up(d)
        b = F.interpolate(d, size=(x.shape[2], x.shape[3]), mode="bilinear", align_corners=False)
        c = F.interpolate(d, scale_factor=2, mode="bilinear", align_corners=True)
        return s.head(torch.cat([a, b, c], 1))


class Acts(nn.Module):
    """Mish, Softsign, Tanhshrink, PReLU (per channel and shared), GLU, Softmin, SELU, CELU, LogSigmoid."""
    def __init__(s):
        super().__init__()
        s.fc = nn.Linear(5, 8); s.prelu = nn.PReLU(8); s.prelu1 = nn.PReLU(); s.glu = nn.GLU(); s.out = nn.Softmin(dim=1)
        s.acts = nn.Sequential(nn.Mish(), nn.Softsign(), nn.Tanhshrink(), nn.SELU(), nn.CELU(0.5), nn.LogSigmoid())
    def forward(s, x):
        h = s.fc(x)
        return s.out(s.glu(s.prelu1(s.prelu(h)) + s.acts(h)))


class Seq1d(nn.Module):
    """Conv1d, ConvTranspose1d, linear interpolation, zero/constant padding, Dropout2d and InstanceNorm."""
    def __init__(s):
        super().__init__()
        s.c = nn.Conv1d(2, 4, 3); s.t = nn.ConvTranspose1d(4, 3, 3, stride=2); s.pad = nn.ConstantPad1d((1, 2), 0.5)
        s.c2 = nn.Conv2d(1, 2, 3, padding=1, padding_mode="reflect"); s.norm = nn.InstanceNorm2d(2, affine=True); s.drop = nn.Dropout2d(0.2)
    def forward(s, x):
        h = s.t(torch.tanh(s.c(x)))
        h = F.interpolate(s.pad(h), size=20, mode="linear")
        img = s.drop(s.norm(s.c2(F.pad(h.unsqueeze(1), (0, 0, 1, 1)))))
        return F.adaptive_avg_pool2d(img, (2, 4)).flatten(1)


class MHA(nn.Module):
    def __init__(s):
        super().__init__(); s.mha = nn.MultiheadAttention(8, 2, batch_first=True); s.fc = nn.Linear(8, 2)
    def forward(s, x):
        return s.fc(s.mha(x, x, x, need_weights=False)[0].mean(1))


class Cells(nn.Module):
    def __init__(s):
        super().__init__(); s.cell = nn.LSTMCell(4, 5); s.g = nn.GRUCell(5, 3)
    def forward(s, x):
        h, c = s.cell(x)
        return s.g(h + c)


class Robust(nn.Module):
    """Order statistics: a 3-tap median filter over unfold windows, kthvalue, nanmedian, mode and the overall median."""
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(12, 12); s.out = nn.Linear(12, 3)
    def forward(s, x):
        h = s.fc(x)
        windows = F.pad(h.unsqueeze(1), (1, 1), mode="replicate").squeeze(1).unfold(1, 3, 1)
        smooth = windows.median(dim=-1).values
        q = torch.kthvalue(h, 3, dim=1, keepdim=True)[0]
        m = h.nanmedian(1, keepdim=True).values
        md = torch.mode(h.round(), 1)[0].unsqueeze(1)
        return s.out(smooth - q + m * 0.5 + md * 0.1 + torch.median(h))


class Scans(nn.Module):
    """Running maxima and minima (values and indices) and a running log-sum-exp."""
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(5, 8)
    def forward(s, x):
        h = s.fc(x)
        run_max = torch.cummax(h, dim=1)
        return run_max[0] - h.cummin(1).values + torch.logcumsumexp(h, 1) + run_max.indices.float() * 0.01


class Segments(nn.Module):
    """Pooling by segment with scatter_reduce and scatter_add, a one-hot of the winner by scatter_, index_fill/copy/add."""
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(4, 6)
        s.register_buffer("seg", torch.tensor([[0, 0, 1, 1, 2, 2]])); s.register_buffer("cols", torch.tensor([4, 1]))
    def forward(s, x):
        h = s.fc(x)
        seg = s.seg.expand_as(h)
        pooled = h.new_zeros(h.shape[0], 3).scatter_reduce(1, seg, h, reduce="amax", include_self=False)
        mean = torch.scatter_reduce(h.new_zeros(h.shape[0], 3), 1, seg, h, "mean", include_self=False)
        summed = h.new_zeros(h.shape[0], 3).scatter_add(1, seg, h)
        prod = h.new_ones(h.shape[0], 3).scatter(1, seg, h.detach(), reduce="multiply")
        onehot = torch.zeros_like(pooled).scatter_(1, pooled.argmax(1, keepdim=True), 1.0)
        h2 = h.index_fill(1, s.cols, 0.0).index_copy(1, s.cols, h[:, :2] * 2).index_add(1, s.cols, h[:, 2:4], alpha=0.5)
        return torch.cat([pooled + mean + summed + prod + onehot, h2], 1)


class EinsumAttn(nn.Module):
    """Causal attention written with einsum and a triu mask, baddbmm scores, tensordot heads, diagonals and trace."""
    def __init__(s, d=8):
        super().__init__(); s.q = nn.Linear(d, d); s.k = nn.Linear(d, d); s.v = nn.Linear(d, d); s.proj = nn.Parameter(torch.randn(d, 3) * 0.3)
        s.w = nn.Parameter(torch.randn(3, 3)); s.b = nn.Parameter(torch.randn(3)); s.d = d
    def forward(s, x):
        q, k, v = s.q(x), s.k(x), s.v(x)
        scores = torch.einsum("bqd,bkd->bqk", q, k) / math.sqrt(s.d)
        mask = torch.triu(torch.ones_like(scores[0]), diagonal=1).bool()
        att = scores.masked_fill(mask, float("-inf")).softmax(-1)
        out = torch.einsum("bqk,bkd->bqd", att, v)
        bias = torch.baddbmm(att, q, k.transpose(1, 2), beta=0.5, alpha=0.1).tril(-1)
        heads = torch.tensordot(out + bias.sum(-1, keepdim=True), s.proj, dims=1)
        diag = scores.diagonal(dim1=1, dim2=2).sum(-1, keepdim=True)
        return heads.mean(1) + diag * 0.1 + torch.trace(s.w) + torch.addmv(s.b, s.w, s.b) + torch.diag(torch.diag(s.w)).sum(0)


class Geometry(nn.Module):
    """Normals by cross products (torch.cross and torch.linalg.cross), numpy-style axis moves, meshgrid and repeats."""
    def __init__(s):
        super().__init__(); s.fc = nn.Linear(4, 6); s.gx = nn.Parameter(torch.randn(3)); s.gy = nn.Parameter(torch.randn(2))
        s.register_buffer("reps", torch.tensor([1, 2, 1]))
    def forward(s, x):
        h = s.fc(x)
        a, c = h[:, :3], h[:, 3:]
        n = torch.cross(a, c, dim=1)
        n2 = torch.linalg.cross(a, n)
        g = torch.meshgrid(s.gx, s.gy, indexing="xy")
        grid = (g[0] * g[1]).sum(0)
        cube = torch.stack([n, n2], 1)
        moved = torch.moveaxis(cube, 1, 2).swapaxes(0, 0) + torch.movedim(cube, 2, 1) + cube.swapdims(1, 2) * 0.5
        rep = torch.repeat_interleave(n, s.reps, dim=1) + n2.repeat_interleave(2, dim=1)[:, :4]
        return torch.cat([moved.flatten(1).clip(-3, 3), rep, grid.expand(h.shape[0], -1)], 1)


class Buckets(nn.Module):
    """Bucketized features into an embedding, searchsorted, histograms, bitwise masks, NaN-ignoring reductions."""
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(6, 4); s.fc = nn.Linear(5, 4)
        s.register_buffer("bounds", torch.tensor([-1.5, -0.5, 0.0, 0.5, 1.5]))
    def forward(s, x):
        idx = torch.bucketize(x, s.bounds)
        pos = torch.searchsorted(s.bounds, x, right=True)
        h = s.emb(idx).mean(1) + s.fc(x)
        inside = (x > -1) & (x < 1) | (x > 2)
        odd = (pos & 1).bool() ^ ~inside
        holes = torch.where(x > 1.2, torch.full_like(x, float("nan")), x)
        var_mean = torch.var_mean(x, 1, keepdim=True)
        std = torch.std_mean(x, dim=1, unbiased=False, keepdim=True)[0]
        stats = torch.cat([torch.nansum(holes, 1, keepdim=True), holes.nanmean(1, keepdim=True), var_mean[0], var_mean[1], std,
                           torch.count_nonzero(odd, dim=1).unsqueeze(1).float(), torch.isclose(x, x.round(), atol=0.2).float().sum(1, keepdim=True)], 1)
        counts = torch.bincount(idx.flatten(), minlength=6).float() + torch.histc(x, bins=6, min=-2, max=2)
        return torch.cat([h, stats], 1) * (1 + counts.mean() * 0.01)


class Vocab(nn.Module):
    """Token ids renumbered by torch.unique (inverse indices into an embedding, counts), run lengths by unique_consecutive."""
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(30, 5); s.fc = nn.Linear(5, 2)
    def forward(s, ids):
        u = torch.unique(ids, return_inverse=True, return_counts=True)
        vocab, inv = u[0], u[1]
        h = s.emb(inv) * u[2][inv].unsqueeze(-1).float().log1p()
        runs = torch.unique_consecutive(ids.flatten(), return_counts=True)[1]
        first = ids.unique(sorted=True)[0]
        return s.fc(h.mean(1)) + runs.float().mean() * 0.1 + vocab.float().mean() * 0.01 + first.float()


def _encoder():
    return nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True), 2)


def _image(*shape):
    return lambda b: torch.randn(b, *shape)


def _ids(vocab, length):
    return lambda b: torch.randint(0, vocab, (b, length))


CASES = {
    "lstm": (LSTMReg, _image(7, 3), (1, 3), {}),
    "bigru": (BiGRU, _ids(30, 6), (1, 3), {}),
    "rnn": (RNNTanh, _image(5, 4), (1, 3), {}),
    "conv1d": (Conv1dTS, _image(3, 20), (1, 3), {}),
    "attn": (Attn, _image(5, 8), (1, 3), {}),
    "gated": (Gated, _image(6), (1, 3), {}),
    "dense": (DenseBlock, _image(3, 9, 9), (1, 3), {}),
    "decoder": (Decoder, _image(4), (1, 3), {}),
    "misc": (Misc, _image(4, 3), (1, 3), {}),
    "func": (FuncNet, _image(3, 6, 6), (1, 3), {}),
    "seqmods": (SeqMods, _image(3, 4), (1, 3), {}),
    "modlist": (ModList, _image(5), (1, 3), {}),

    "stats": (Stats, _image(7), (1, 3), {}),
    "posemb": (PosEmb, _ids(20, 9), (1, 3), {}),
    "creation": (Creation, _image(4), (1, 3), {}),
    "normed": (Normed, _image(6), (1, 3), {}),
    "topk": (TopK, _image(10), (1, 3), {}),
    "where": (Where, _image(5), (1, 3), {}),
    "rnnseq": (RNNSeq, _image(5, 4), (1, 3), {}),
    "depthwise": (Depthwise, _image(4, 7, 7), (1, 3), {}),
    "upsampling": (Upsampling, _image(2, 7, 7), (1, 3), {}),
    "viewops": (ViewOps, _image(2, 3), (1, 3), {}),

    "laststep": (LastStep, _image(6, 3), (1, 3), {}),
    "celu": (Celu, _image(4), (1, 3), {}),
    "drop2d": (Drop2d, _image(2, 6, 6), (1, 3), {}),
    "pool1d": (Pool1d, _image(2, 12), (1, 3), {}),
    "mobile": (Mobile, _image(3, 8, 8), (1, 3), {}),
    "unetish": (UNetish, _image(1, 8, 8), (1, 3), {}),
    "acts": (Acts, _image(5), (1, 3), {}),
    "seq1d": (Seq1d, _image(2, 9), (1, 3), {}),
    "mha": (MHA, _image(5, 8), (1, 3), {}),
    "transformer": (_encoder, _image(5, 8), (1, 3), {}),
    "cells": (Cells, _image(4), (1, 3), {}),

    # the engine's order statistics, scans, scatter reductions, products, binning and unique, through fx and make_fx
    "robust": (Robust, _image(12), (1, 3), {}),
    "robust_make_fx": (Robust, _image(12), (1, 3), {"tracer": "make_fx"}),
    "scans": (Scans, _image(5), (1, 3), {}),
    "scans_make_fx": (Scans, _image(5), (1, 3), {"tracer": "make_fx"}),
    "segments": (Segments, _image(4), (1, 3), {}),
    "segments_make_fx": (Segments, _image(4), (1, 3), {"tracer": "make_fx"}),
    "einsum_attn": (EinsumAttn, _image(5, 8), (1, 3), {}),
    "einsum_attn_make_fx": (EinsumAttn, _image(5, 8), (1, 3), {"tracer": "make_fx"}),
    "geometry": (Geometry, _image(4), (1, 3), {}),
    "geometry_make_fx": (Geometry, _image(4), (1, 3), {"tracer": "make_fx"}),
    "buckets": (Buckets, _image(5), (1, 3), {}),
    "buckets_make_fx": (Buckets, _image(5), (1, 3), {"tracer": "make_fx"}),
    "vocab": (Vocab, _ids(30, 7), (1, 3), {}),
    "vocab_make_fx": (Vocab, _ids(30, 7), (1, 3), {"tracer": "make_fx"}),
}
