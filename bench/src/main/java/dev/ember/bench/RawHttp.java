package dev.ember.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One client's keep-alive HTTP/1.1 connection, sending the same POST again and again. The whole request goes out
 * in one write on a TCP_NODELAY socket, so no request waits on Nagle's algorithm and a delayed ACK (the trap
 * bench/fastapi_peer.py's no_delay works around on the server side), and the client spends as little as possible
 * of the CPU it shares with the server under test. Answers must carry a Content-Length, as both servers' do.
 */
final class RawHttp implements LoadClient.Sender {
    private final String host;
    private final int port;
    private final byte[] request;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttp(String host, int port, String path, String headers, byte[] body) {
        this.host = host;
        this.port = port;
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
    }

    @Override
    public void send() throws IOException {
        if (socket == null) connect();
        try {
            out.write(request);
            out.flush();
            readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
    }

    private void readResponse() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP/1.1 answer: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean close = false;
        for (String h; !(h = line()).isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
            else if (lower.startsWith("transfer-encoding:")) throw new IOException("chunked answers are not supported: " + h);
            else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
        }
        if (length < 0) throw new IOException("answer without Content-Length");
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) throw new IOException("connection closed mid-answer");
        if (close) close();
        if (code != 200) throw new IllegalStateException("HTTP " + code + ": " + new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("connection closed");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    private void close() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // already broken; the next send reconnects
        }
        socket = null;
    }
}
