package dev.ember.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The weight-file formats Ember reads, told apart by their first bytes (never by the file name). */
public enum ModelFileFormat {
    /** {@code torch.save} since 1.6: a zip archive with data.pkl and data/&lt;key&gt; records. */
    TORCH_ZIP,
    /** {@code torch.save(..., _use_new_zipfile_serialization=False)}: pickles followed by raw storages. */
    TORCH_LEGACY,
    /** huggingface safetensors: u64 header length, JSON header, raw data. */
    SAFETENSORS;

    static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    /** Detects the format of {@code file}, or fails naming what the file looks like instead. */
    public static ModelFileFormat detect(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return detect(ch, file.toString());
        }
    }

    static ModelFileFormat detect(FileChannel ch, String name) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(16, ch.size()));
        ZipArchive.readFully(ch, head, 0);
        byte[] b = head.array();
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 || b[2] == 5) && (b[3] == 4 || b[3] == 6)) return TORCH_ZIP;
        if (startsWith(b, LEGACY_MAGIC)) return TORCH_LEGACY;
        if (startsWith(b, "PYTORCH1".getBytes())) throw new ModelFormatException(name + ": a torch preview-release (PYTORCH1) file; torch itself no longer reads these");
        if (b.length >= 9) {
            long n = ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            if (n > 0 && n <= SafeTensors.MAX_HEADER_SIZE && (b[8] == '{' || b[8] == ' ')) return SAFETENSORS;
        }
        if (ch.size() > 262) {
            ByteBuffer tar = ByteBuffer.allocate(5);
            ZipArchive.readFully(ch, tar, 257);
            if (new String(tar.array(), java.nio.charset.StandardCharsets.US_ASCII).equals("ustar"))
                throw new ModelFormatException(name + ": the legacy torch tar format, which torch.load(weights_only=True) refuses too");
        }
        throw new ModelFormatException(name + ": not a PyTorch (.pt/.pth) or safetensors file (unrecognised first bytes)");
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }
}
