package dev.agentlake.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the ingest code in one JVM, each in its own class loader, timed by this thread's CPU time
 * in alternating slices, so both see the same machine (load, caches, frequency) within a second of each
 * other; on a shared machine separate-process runs spread more than the changes being compared. Each class
 * path must hold the bench classes, that build's ingest-function and lake, and their dependencies.
 * Usage: {@code InterleavedAb <old class path> <new class path> <slice seconds> <pairs> <method>...}, the
 * methods being {@code IngestThroughputBenchmark}'s (e.g. {@code logsDecodeAndEncode}); prints records per
 * CPU-second (medians) and the median of the pairs' new/old ratios.
 */
public final class InterleavedAb {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Object[] impl = new Object[2];
        Class<?>[] cls = new Class<?>[2];
        for (int i = 0; i < 2; i++) {
            List<URL> urls = new ArrayList<>();
            for (String p : args[i].split(":")) urls.add(Path.of(p).toUri().toURL());
            var loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            cls[i] = Class.forName("dev.agentlake.ingest.IngestThroughputBenchmark", true, loader);
            var ctor = cls[i].getDeclaredConstructor();
            ctor.setAccessible(true);
            impl[i] = ctor.newInstance();
            cls[i].getMethod("setUp").invoke(impl[i]);
        }
        double slice = Double.parseDouble(args[2]);
        int rounds = Integer.parseInt(args[3]);
        for (int m = 4; m < args.length; m++) {
            Method[] mm = {cls[0].getMethod(args[m]), cls[1].getMethod(args[m])};
            // warm-up: 4 slices each
            for (int w = 0; w < 4; w++) { run(mm[0], impl[0], slice); run(mm[1], impl[1], slice); }
            double[][] r = new double[2][rounds];
            for (int k = 0; k < rounds; k++) {
                int first = k % 2; // alternate which goes first
                r[first][k] = run(mm[first], impl[first], slice);
                r[1 - first][k] = run(mm[1 - first], impl[1 - first], slice);
            }
            double[] ratios = new double[rounds];
            for (int k = 0; k < rounds; k++) ratios[k] = r[1][k] / r[0][k];
            System.out.printf("%-22s old median %8.0f  new median %8.0f  new/old median of pairs %.3f  (pairs: %s)  load %s%n",
                    args[m], median(r[0]), median(r[1]), median(ratios), fmt(ratios),
                    new String(java.nio.file.Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
        }
    }

    static String fmt(double[] a) {
        StringBuilder sb = new StringBuilder();
        for (double d : a) sb.append(String.format("%.2f ", d));
        return sb.toString().trim();
    }

    static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    /** records per CPU-second over one slice */
    static double run(Method m, Object o, double seconds) throws Exception {
        long budget = (long) (seconds * 1e9);
        long start = T.getCurrentThreadCpuTime();
        long n = 0, used;
        do {
            m.invoke(o);
            n++;
            used = T.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        return n * 1000.0 / (used / 1e9);
    }
}
