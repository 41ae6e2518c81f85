package dev.agentlake.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 proxy on loopback in front of a real server (the S3-compatible server, or the
 * ingest port), that a test turns into a bad network: stopped (the port refuses connections),
 * slowed (every request waits before it is forwarded), or failing at random (a request is answered
 * 503 or 500 without reaching the server, its connection is dropped before it is forwarded, or it is
 * forwarded and its answer is dropped — the server did the work, the client never hears). It reads
 * the framing of requests and answers (Content-Length, chunked, HEAD, 1xx) so that it decides per
 * request even on kept-alive connections, and counts the statuses the client received.
 *
 * <p>Bytes are forwarded unchanged (so SigV4 signatures, which cover the Host header, stay valid).
 */
final class FaultyHttpProxy implements AutoCloseable {
    /** What happens to one request. */
    enum Fault { NONE, ANSWER_503, ANSWER_500, DROP_BEFORE, DROP_AFTER }

    private final int upstreamPort;
    private final Random random;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicLong> faults = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile ServerSocket listener;
    private volatile int port;
    private volatile long delayMillis;
    private volatile double failureRate;
    private volatile java.util.function.LongPredicate hook;

    private FaultyHttpProxy(int upstreamPort, long seed) {
        this.upstreamPort = upstreamPort;
        this.random = new Random(seed);
    }

    /** A proxy to {@code 127.0.0.1:upstreamPort} on a free loopback port, forwarding faithfully. */
    static FaultyHttpProxy start(int upstreamPort, long seed) throws IOException {
        var proxy = new FaultyHttpProxy(upstreamPort, seed);
        proxy.listen(0);
        return proxy;
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** An outage: the port refuses connections and every open connection is cut, until {@link #resume}. */
    synchronized void stop() throws IOException {
        ServerSocket l = listener;
        listener = null;
        if (l != null) {
            l.close();
        }
        cutAll();
    }

    /** Accepts connections again, on the same port. */
    synchronized void resume() throws IOException {
        if (listener == null) {
            listen(port);
        }
    }

    /** Every request waits this long before it is forwarded (0: none). */
    void slow(long millis) {
        delayMillis = millis;
    }

    /** Each request fails with probability {@code rate}, in one of the four ways, equally likely. */
    void failAtRandom(double rate) {
        failureRate = rate;
    }

    /**
     * Calls {@code hook} with each request's number (1, 2, …, counted from the proxy's start) before
     * the request is forwarded; when it answers true the request is dropped instead. Null: no hook.
     */
    void beforeEachRequest(java.util.function.LongPredicate hook) {
        this.hook = hook;
    }

    /** Forward everything again, at once. */
    void heal() throws IOException {
        delayMillis = 0;
        failureRate = 0;
        resume();
    }

    long requests() {
        return requests.get();
    }

    /** How many answers with {@code status} clients received (forwarded or made up here). */
    long status(int status) {
        AtomicLong n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    /** How many answers clients received, of any status. */
    long answers() {
        return statuses.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long faults(Fault fault) {
        AtomicLong n = faults.get(fault);
        return n == null ? 0 : n.get();
    }

    String summary() {
        return "requests " + requests.get() + ", statuses " + new java.util.TreeMap<>(statuses) + ", faults " + faults;
    }

    private void listen(int onPort) throws IOException {
        var l = new ServerSocket();
        l.setReuseAddress(true);
        l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 200);
        listener = l;
        port = l.getLocalPort();
        Thread acceptor = new Thread(() -> accept(l), "proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket l) {
        while (!l.isClosed()) {
            Socket client;
            try {
                client = l.accept();
            } catch (IOException e) {
                return; // stopped
            }
            Thread t = new Thread(() -> serve(client), "proxy-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void cutAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private Fault nextFault() {
        double rate = failureRate;
        if (rate <= 0) {
            return Fault.NONE;
        }
        synchronized (random) {
            if (random.nextDouble() >= rate) {
                return Fault.NONE;
            }
            return Fault.values()[1 + random.nextInt(Fault.values().length - 1)];
        }
    }

    /** One client connection: requests are read and forwarded here, answers relayed by a second thread. */
    private void serve(Socket client) {
        Socket upstream = null;
        open.add(client);
        try {
            upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            open.add(upstream);
            Socket up = upstream;
            var methods = new ConcurrentLinkedQueue<String>();
            var dropNextAnswer = new java.util.concurrent.atomic.AtomicBoolean();
            Thread answers = new Thread(() -> relayAnswers(up, client, methods, dropNextAnswer), "proxy-answers");
            answers.setDaemon(true);
            answers.start();
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream toServer = upstream.getOutputStream();
            while (true) {
                Head head = Head.read(in);
                if (head == null) {
                    break;
                }
                long number = requests.incrementAndGet();
                java.util.function.LongPredicate h = hook;
                if (h != null && h.test(number)) {
                    faults.computeIfAbsent(Fault.DROP_BEFORE, f -> new AtomicLong()).incrementAndGet();
                    break;
                }
                long delay = delayMillis;
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                Fault fault = nextFault();
                if (fault != Fault.NONE) {
                    faults.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
                }
                if (fault == Fault.ANSWER_503 || fault == Fault.ANSWER_500) {
                    int status = fault == Fault.ANSWER_503 ? 503 : 500;
                    String reason = status == 503 ? "Service Unavailable" : "Internal Server Error";
                    client.getOutputStream().write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Length: 0\r\n"
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    count(status);
                    break;
                }
                if (fault == Fault.DROP_BEFORE) {
                    break;
                }
                if (fault == Fault.DROP_AFTER) {
                    dropNextAnswer.set(true);
                }
                methods.add(head.method());
                toServer.write(head.bytes());
                copyBody(in, toServer, head, false);
                toServer.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a side hung up, or the proxy was stopped
        } finally {
            closeQuietly(client);
            if (upstream != null) {
                closeQuietly(upstream);
            }
        }
    }

    private void relayAnswers(Socket upstream, Socket client, ConcurrentLinkedQueue<String> methods,
                              java.util.concurrent.atomic.AtomicBoolean dropNextAnswer) {
        try {
            InputStream in = new BufferedInputStream(upstream.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (true) {
                Head head = Head.read(in);
                if (head == null) {
                    break;
                }
                int status = head.status();
                if (status >= 100 && status < 200) {
                    toClient.write(head.bytes()); // 100 Continue: the request's body follows
                    toClient.flush();
                    continue;
                }
                String method = methods.poll();
                boolean noBody = "HEAD".equals(method) || status == 204 || status == 304;
                if (dropNextAnswer.getAndSet(false)) {
                    break; // the server did the work; the client never hears
                }
                toClient.write(head.bytes());
                if (!noBody) {
                    copyBody(in, toClient, head, true);
                }
                toClient.flush();
                count(status);
                if (head.closes()) {
                    break;
                }
            }
        } catch (IOException e) {
            // a side hung up, or the proxy was stopped
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void count(int status) {
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    private static void copyBody(InputStream in, OutputStream out, Head head, boolean answer) throws IOException {
        if (head.chunked()) {
            while (true) {
                String sizeLine = line(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    // trailers, then an empty line
                    while (true) {
                        String trailer = line(in);
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        if (trailer.isEmpty()) {
                            return;
                        }
                    }
                }
                copy(in, out, size);
                String crlf = line(in);
                out.write((crlf + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (head.contentLength() >= 0) {
            copy(in, out, head.contentLength());
        } else if (answer) {
            in.transferTo(out); // an answer without framing ends when the connection does
        }
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new java.io.EOFException("body ended early");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static String line(InputStream in) throws IOException {
        var b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            throw new java.io.EOFException();
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A request or status line with its headers, as bytes to forward and as the framing it declares. */
    private record Head(byte[] bytes, String firstLine, long contentLength, boolean chunked, boolean closes) {
        static Head read(InputStream in) throws IOException {
            var raw = new ByteArrayOutputStream();
            String first = null;
            long length = -1;
            boolean chunked = false;
            boolean closes = false;
            while (true) {
                String l;
                try {
                    l = line(in);
                } catch (java.io.EOFException e) {
                    if (raw.size() == 0) {
                        return null;
                    }
                    throw e;
                }
                raw.write((l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (first == null) {
                    first = l;
                    continue;
                }
                if (l.isEmpty()) {
                    return new Head(raw.toByteArray(), first, length, chunked, closes);
                }
                int colon = l.indexOf(':');
                if (colon > 0) {
                    String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = l.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                    if (name.equals("content-length")) {
                        length = Long.parseLong(value);
                    } else if (name.equals("transfer-encoding") && value.contains("chunked")) {
                        chunked = true;
                    } else if (name.equals("connection") && value.contains("close")) {
                        closes = true;
                    }
                }
            }
        }

        String method() {
            return firstLine.substring(0, firstLine.indexOf(' '));
        }

        int status() {
            return Integer.parseInt(firstLine.split(" ", 3)[1]);
        }
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
    }
}
