package dev.agentlake.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Two builds' logs decoding of the same mutated protobuf bodies, each build in its own class loader: every
 * body must give equal {@code MappedRows} (every column of every row, record ids included, and the
 * rejected and dropped counts) or be refused by both with the same exception and message. Mutations: bits
 * flipped, bytes replaced, inserted and deleted, high bytes put into text; each seed first as it is. Run
 * with redaction and with Codex's SSE events kept, on and off. Class paths as for {@link InterleavedAb}.
 * Usage: {@code LogsDecodeDiff <old class path> <new class path> <bodies per setting> <seed body>...};
 * stops at the first difference and writes that body to {@code logs-decode-diff.bin}.
 */
public final class LogsDecodeDiff {
    private LogsDecodeDiff() {
    }

    public static void main(String[] args) throws Exception {
        ClassLoader[] builds = {loader(args[0]), loader(args[1])};
        int bodies = Integer.parseInt(args[2]);
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            seeds.add(Files.readAllBytes(Path.of(args[i])));
        }
        var random = new Random(42);
        int decoded = 0;
        int refused = 0;
        for (int setting = 0; setting < 4; setting++) {
            boolean redact = (setting & 1) != 0;
            boolean keepSseEvents = (setting & 2) != 0;
            Decoder before = new Decoder(builds[0], redact, keepSseEvents);
            Decoder after = new Decoder(builds[1], redact, keepSseEvents);
            for (int k = 0; k < bodies; k++) {
                byte[] body = k < seeds.size() ? seeds.get(k)
                        : mutate(seeds.get(random.nextInt(seeds.size())).clone(), random);
                String old = before.decode(body);
                String now = after.decode(body);
                if (!old.equals(now)) {
                    Files.write(Path.of("logs-decode-diff.bin"), body);
                    System.out.printf("difference (redact %s, keep SSE events %s), body in logs-decode-diff.bin%nold: %s%nnew: %s%n",
                            redact, keepSseEvents, old, now);
                    System.exit(1);
                }
                if (old.startsWith("refused")) {
                    refused++;
                } else {
                    decoded++;
                }
            }
        }
        System.out.printf("no difference: %d bodies decoded to equal rows, %d refused alike%n", decoded, refused);
    }

    /** One build's {@code LogsIngest}, built as the application context would, its decode called by reflection. */
    private static final class Decoder {
        private final Object ingest;
        private final Object protobuf;
        private final Method decode;

        Decoder(ClassLoader build, boolean redact, boolean keepSseEvents) throws Exception {
            Class<?> settingsType = build.loadClass("dev.agentlake.ingest.IngestSettings");
            Object settings = settingsType.getDeclaredConstructors()[0]
                    .newInstance(16L * 1024 * 1024, keepSseEvents, List.of(), redact, null, null);
            Class<?> redactionType = build.loadClass("dev.agentlake.ingest.PromptRedaction");
            Object redaction = construct(redactionType, new Class<?>[] {settingsType}, settings);
            Class<?> mapperType = build.loadClass("dev.agentlake.ingest.LogRowMapper");
            Object mapper = construct(mapperType, new Class<?>[] {settingsType, redactionType}, settings, redaction);
            Class<?> ingestType = build.loadClass("dev.agentlake.ingest.LogsIngest");
            ingest = construct(ingestType, new Class<?>[] {mapperType}, mapper);
            Class<?> encodingType = build.loadClass("dev.agentlake.ingest.OtlpEncoding");
            protobuf = enumConstant(encodingType, "PROTOBUF");
            decode = ingestType.getDeclaredMethod("decode", encodingType, byte[].class);
            decode.setAccessible(true);
        }

        /** The {@code MappedRows} as text (records print every component), or the refusal. */
        String decode(byte[] body) throws Exception {
            try {
                return String.valueOf(decode.invoke(ingest, protobuf, body));
            } catch (InvocationTargetException e) {
                return "refused: " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Object enumConstant(Class<?> type, String name) {
            return Enum.valueOf((Class) type, name);
        }

        private static Object construct(Class<?> type, Class<?>[] parameters, Object... arguments) throws Exception {
            Constructor<?> constructor = type.getDeclaredConstructor(parameters);
            constructor.setAccessible(true);
            return constructor.newInstance(arguments);
        }
    }

    private static ClassLoader loader(String classPath) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String p : classPath.split(":")) {
            urls.add(Path.of(p).toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static byte[] mutate(byte[] b, Random random) {
        int at = random.nextInt(b.length);
        switch (random.nextInt(6)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = (byte) random.nextInt(256);
            case 2 -> {
                int n = 1 + random.nextInt(Math.min(16, b.length - at));
                byte[] shorter = new byte[b.length - n];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + n, shorter, at, b.length - at - n);
                return shorter;
            }
            case 3 -> {
                int n = 1 + random.nextInt(4);
                byte[] longer = new byte[b.length + n];
                System.arraycopy(b, 0, longer, 0, at);
                for (int i = 0; i < n; i++) {
                    longer[at + i] = (byte) random.nextInt(256);
                }
                System.arraycopy(b, at, longer, at + n, b.length - at);
                return longer;
            }
            case 4 -> { // a few flips close together: inside one varint or string
                for (int i = 0; i < 3; i++) {
                    b[Math.min(b.length - 1, at + random.nextInt(8))] ^= (byte) (1 << random.nextInt(8));
                }
            }
            default -> b[at] = (byte) (0x80 + random.nextInt(128)); // UTF-8 lead or continuation bytes
        }
        return b;
    }
}
