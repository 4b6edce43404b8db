package com.securebase.testkit;

import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives a Quarkus test suite real infrastructure: a fresh database on the project's PostgreSQL
 * (schema, owner role for Flyway, RLS-bound application role) and the project's Kafka broker with
 * the catalog topics. Both servers are reused when already running ({@code make test} starts them
 * once) and otherwise started here and stopped when the test JVM exits; the database is dropped
 * after the suite.
 *
 * <p>Use: {@code @WithTestResource(value = SecureBaseTestResource.class, initArgs
 * = @ResourceArg(name = "service", value = "support"))}. The service's {@code
 * application.properties} declares {@code quarkus.datasource.db-kind=postgresql} and turns Dev
 * Services off for tests.
 */
public class SecureBaseTestResource implements QuarkusTestResourceLifecycleManager {
  private String service = "app";
  private String database;
  private LocalInfra infra;

  @Override
  public void init(Map<String, String> initArgs) {
    service = initArgs.getOrDefault("service", service);
  }

  @Override
  public Map<String, String> start() {
    infra = LocalInfra.shared();
    database =
        "t_"
            + service
            + "_"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), database, service);
    Map<String, String> config = new HashMap<>(db.quarkusConfig());
    config.put("kafka.bootstrap.servers", infra.kafka().bootstrapServers());
    config.put("securebase.test.database", database);
    config.putAll(TestTokens.verificationConfig());
    return config;
  }

  @Override
  public void stop() {
    if (database != null) {
      ServiceDatabase.drop(infra.postgres(), database);
    }
  }
}
