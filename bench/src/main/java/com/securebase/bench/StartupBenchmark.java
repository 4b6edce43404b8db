package com.securebase.bench;

import com.securebase.infra.LocalInfra;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each service's start, from launching its packaged jar on a fresh database (Flyway included) to
 * ready, and its resident memory once idle, over several runs; beside them an empty JVM's start and
 * memory with the same heap limit, measured in the same run.
 *
 * <p>Arguments: runs per service (default 3), idle seconds before the memory reading (default 5).
 */
public final class StartupBenchmark {
  private static final List<String> SERVICES =
      List.of(
          "gateway", "billing", "analytics", "forecasting", "support", "notifications", "webhooks");

  private StartupBenchmark() {}

  /** The baseline's process: a JVM that does nothing but say it is up. */
  public static final class EmptyJvm {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("ready");
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    long idleMillis = (args.length > 1 ? Long.parseLong(args[1]) : 5) * 1000;
    LocalInfra infra = LocalInfra.shared();
    List<Double> emptyStart = new ArrayList<>();
    List<Double> emptyRss = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      Process jvm =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  EmptyJvm.class.getName())
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
        out.readLine();
        emptyStart.add((System.nanoTime() - t) / 1e6);
        Thread.sleep(idleMillis);
        emptyRss.add((double) ServiceUnderBench.residentMiB(jvm.pid()));
      } finally {
        jvm.destroyForcibly().waitFor();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Start to ready and idle resident memory, %d runs each (%d cores)%n",
        runs,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT, "  %-14s %s ms   %s MiB%n", "empty JVM", spread(emptyStart), spread(emptyRss));
    for (String service : SERVICES) {
      List<Double> start = new ArrayList<>();
      List<Double> rss = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long t = System.nanoTime();
        try (ServiceUnderBench s =
            ServiceUnderBench.start(
                infra,
                service,
                // The hourly invoice run would start working during the idle reading.
                service.equals("billing")
                    ? Map.of("securebase.billing.invoice-run.cron", "off")
                    : Map.of())) {
          start.add((System.nanoTime() - t) / 1e6);
          Thread.sleep(idleMillis);
          rss.add((double) s.residentMiB());
        }
      }
      System.out.printf(
          Locale.ROOT, "  %-14s %s ms   %s MiB%n", service, spread(start), spread(rss));
      BenchFigures.add(
          "Start-up",
          service + " start to ready (median of " + runs + ")",
          median(start),
          "ms",
          "empty JVM to main",
          median(emptyStart));
      BenchFigures.add(
          "Start-up",
          service + " idle resident memory (median of " + runs + ")",
          median(rss),
          "MiB",
          "empty JVM",
          median(emptyRss));
    }
  }

  private static double median(List<Double> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  private static String spread(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "median %,.0f (%,.0f-%,.0f)", median(values), min, max);
  }
}
