package com.securebase.infra;

import com.securebase.catalog.EventCatalog;
import com.securebase.catalog.TopicDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the catalog's topics that a broker lacks, with the catalog's settings. */
public final class CatalogTopics {
  private CatalogTopics() {}

  /**
   * @param replicationFactor overrides the catalog's production value (1 on a single-node broker)
   * @return the names of the topics created by this call
   */
  public static List<String> ensure(String bootstrapServers, int replicationFactor) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicDefinition topic : EventCatalog.load().topics()) {
        if (!existing.contains(topic.name())) {
          missing.add(
              new NewTopic(topic.name(), topic.partitions(), (short) replicationFactor)
                  .configs(
                      Map.of(
                          TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy(),
                          TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retentionMs()))));
        }
      }
      List<String> created = new ArrayList<>();
      admin
          .createTopics(missing)
          .values()
          .forEach(
              (name, future) -> {
                try {
                  future.get(30, TimeUnit.SECONDS);
                  created.add(name);
                } catch (ExecutionException e) {
                  if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + name, e.getCause());
                  }
                } catch (Exception e) {
                  throw new IllegalStateException("Cannot create topic " + name, e);
                }
              });
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create catalog topics on " + bootstrapServers, e);
    }
  }
}
