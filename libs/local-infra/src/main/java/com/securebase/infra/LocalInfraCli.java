package com.securebase.infra;

/**
 * Command line for {@code make run|stop|test}: {@code start}, {@code stop}, {@code status}, {@code
 * database <database> <service>} (prints the service's connection settings as KEY=value lines),
 * {@code jwt-keys <dir>} (the local token-signing key pair), {@code receivers <smtp port> <http
 * port>} (the mail catcher and webhook receiver of a local run, until stopped).
 */
public final class LocalInfraCli {
  private LocalInfraCli() {}

  public static void main(String[] args) {
    LocalInfra infra = LocalInfra.fromEnvironment();
    String command = args.length == 0 ? "status" : args[0];
    switch (command) {
      case "start" -> {
        infra.start();
        infra.describe().forEach(System.out::println);
      }
      case "stop" -> infra.stop();
      case "status" -> {
        System.out.println("POSTGRES_RUNNING=" + infra.postgres().running());
        System.out.println("KAFKA_RUNNING=" + infra.kafka().running());
        infra.describe().forEach(System.out::println);
      }
      case "database" -> {
        if (args.length != 3) {
          throw new IllegalArgumentException("usage: database <database> <service>");
        }
        ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), args[1], args[2]);
        System.out.println("DB_REACTIVE_URL=" + db.reactiveUrl());
        System.out.println("DB_JDBC_URL=" + db.jdbcUrl());
        System.out.println("DB_APP_USER=" + db.appUser());
        System.out.println("DB_APP_PASSWORD=" + db.appPassword());
        System.out.println("DB_OWNER_USER=" + db.ownerUser());
        System.out.println("DB_OWNER_PASSWORD=" + db.ownerPassword());
      }
      case "jwt-keys" -> {
        if (args.length != 2) {
          throw new IllegalArgumentException("usage: jwt-keys <directory>");
        }
        JwtKeyPair.ensure(java.nio.file.Path.of(args[1])).forEach(System.out::println);
      }
      case "receivers" -> {
        if (args.length != 3) {
          throw new IllegalArgumentException("usage: receivers <smtp port> <http port>");
        }
        try {
          LocalReceivers.runUntilStopped(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      default -> {
        System.err.println(
            "usage: start | stop | status | database <database> <service> | jwt-keys <dir>"
                + " | receivers <smtp port> <http port>");
        System.exit(2);
      }
    }
  }
}
