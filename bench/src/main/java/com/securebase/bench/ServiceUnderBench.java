package com.securebase.bench;

import com.securebase.infra.JwtKeyPair;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import com.securebase.infra.ServiceProcess;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One service started from its built jar ({@code services/<name>/target/quarkus-app}) the way
 * {@code make run} starts it, on a fresh database of its own, with full JIT (unlike make run) so
 * figures are what production would see. Closing it stops the process and drops the database.
 */
final class ServiceUnderBench implements AutoCloseable {
  private final LocalInfra infra;
  private final ServiceDatabase database;
  private final ServiceProcess process;
  private final Path runDir;
  final int port;

  private ServiceUnderBench(
      LocalInfra infra, ServiceDatabase database, ServiceProcess process, Path runDir) {
    this.infra = infra;
    this.database = database;
    this.process = process;
    this.runDir = runDir;
    this.port = process.port();
  }

  static ServiceUnderBench start(LocalInfra infra, String service, Map<String, String> properties)
      throws IOException, InterruptedException {
    String database = "bench_" + service + "_" + Long.toHexString(System.nanoTime() & 0xffffffL);
    ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), database, service);
    Path runDir = Files.createTempDirectory("securebase-bench-" + service);
    Map<String, String> config = new LinkedHashMap<>(db.quarkusConfig());
    config.put("kafka.bootstrap.servers", infra.kafka().bootstrapServers());
    config.putAll(JwtKeyPair.quarkusConfig(runDir.resolve("keys")));
    config.put("securebase.run-dir", runDir.toString());
    config.put("quarkus.log.level", "WARN");
    config.putAll(properties);
    List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
    // e.g. -Dsecurebase.bench.service-jvm-options=-XX:StartFlightRecording=filename=svc.jfr
    String extra = System.getProperty("securebase.bench.service-jvm-options", "").trim();
    if (!extra.isEmpty()) {
      jvmOptions.addAll(List.of(extra.split("\\s+")));
    }
    try {
      ServiceProcess process =
          ServiceProcess.start(
              service,
              Path.of("services", service, "target", "quarkus-app", "quarkus-run.jar"),
              config,
              jvmOptions,
              runDir.resolve(service + ".log"));
      return new ServiceUnderBench(infra, db, process, runDir);
    } catch (IOException | InterruptedException | RuntimeException e) {
      ServiceDatabase.drop(infra.postgres(), database);
      throw e;
    }
  }

  /** The service JVM's JIT compiler threads, to warm it up until they settle. */
  CompilerThreads compilerThreads() {
    return new CompilerThreads(process.pid());
  }

  /** The service's resident memory now, in MiB (Linux). */
  long residentMiB() throws IOException {
    return residentMiB(process.pid());
  }

  /** Process {@code pid}'s resident memory now, in MiB (Linux). */
  static long residentMiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  String url(String path) {
    return process.url(path);
  }

  /** A file the service wrote into its run directory (the demo seed's credentials). */
  String runFile(String name) throws IOException {
    return Files.readString(runDir.resolve(name)).trim();
  }

  /** The service's own database (for seeding data and for baselines on the same Postgres). */
  ServiceDatabase database() {
    return database;
  }

  /** A token as the gateway would issue it, signed with this run's key. */
  String token(UUID tenantId, UUID userId, String... roles) throws IOException {
    Instant now = Instant.now();
    try {
      return Jwt.issuer("securebase")
          .subject(userId.toString())
          .claim("tenant", tenantId.toString())
          .claim("tier", "enterprise")
          .claim("kind", "user")
          .groups(Set.of(roles))
          .issuedAt(now)
          .expiresAt(now.plus(Duration.ofHours(2)))
          .sign(KeyUtils.decodePrivateKey(runFile("keys/jwt-private.pem")));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read this run's signing key", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
    ServiceDatabase.drop(infra.postgres(), database.database());
  }
}
