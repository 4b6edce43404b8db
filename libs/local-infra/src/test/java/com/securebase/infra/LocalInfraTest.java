package com.securebase.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.securebase.catalog.EventCatalog;
import com.securebase.catalog.TopicDefinition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class LocalInfraTest {

  @Test
  void runningInfrastructureIsReusedNotRestarted() {
    LocalInfra infra = LocalInfra.shared();
    assertThat(infra.running()).isTrue();
    LocalInfra again = LocalInfra.fromEnvironment();
    assertThat(again.postgres().port()).isEqualTo(infra.postgres().port());
    assertThat(again.start()).as("nothing to start: both already run").isFalse();
  }

  @Test
  void everyCatalogTopicExistsWithItsPartitions() throws Exception {
    LocalInfra infra = LocalInfra.shared();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers()))) {
      Set<String> names =
          EventCatalog.load().topics().stream()
              .map(TopicDefinition::name)
              .collect(Collectors.toSet());
      var described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      for (TopicDefinition topic : EventCatalog.load().topics()) {
        assertThat(described.get(topic.name()).partitions())
            .as(topic.name())
            .hasSize(topic.partitions());
      }
    }
    assertThat(CatalogTopics.ensure(infra.kafka().bootstrapServers(), 1))
        .as("idempotent")
        .isEmpty();
  }

  @Test
  void aServiceDatabaseHasAnOwnerAndAnRlsBoundApplicationRole() throws Exception {
    LocalInfra infra = LocalInfra.shared();
    String database = "infra_test_" + Long.toHexString(System.nanoTime() & 0xffffffL);
    ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), database, "probe");
    try {
      assertThat(ServiceDatabase.ensure(infra.postgres(), database, "probe"))
          .as("idempotent")
          .isEqualTo(db);
      try (Connection c =
              DriverManager.getConnection(db.jdbcUrl(), db.appUser(), db.appPassword());
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select current_user, current_schema(), r.rolbypassrls, r.rolsuper,"
                      + " (select nspowner::regrole::text from pg_namespace where nspname = 'probe')"
                      + " from pg_roles r where r.rolname = current_user")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("probe_app");
        assertThat(rs.getString(2)).isEqualTo("probe");
        assertThat(rs.getBoolean(3)).as("bypasses RLS").isFalse();
        assertThat(rs.getBoolean(4)).as("superuser").isFalse();
        assertThat(rs.getString(5)).isEqualTo("probe_owner");
      }
    } finally {
      ServiceDatabase.drop(infra.postgres(), database);
    }
  }
}
