package com.securebase.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventCatalogTest {
  private final EventCatalog catalog = EventCatalog.load();

  @Test
  void everyTopicIsUsableAndOwnsItsEventTypes() {
    assertThat(catalog.topics()).isNotEmpty();
    for (TopicDefinition topic : catalog.topics()) {
      assertThat(topic.name()).startsWith("securebase.");
      assertThat(topic.partitions()).isPositive();
      assertThat(topic.replicationFactor()).isPositive();
      assertThat(topic.cleanupPolicy()).isIn("delete", "compact");
      assertThat(topic.events()).as(topic.name()).isNotEmpty();
      for (EventTypeDefinition type : topic.events()) {
        assertThat(type.topic()).isEqualTo(topic.name());
        if (!topic.owner().equals("shared")) {
          assertThat(type.service()).as(type.type()).isEqualTo(topic.owner());
        }
      }
    }
  }

  @Test
  void typesAreNamedByServiceEntityAndVerb() {
    Set<String> services =
        Set.of(
            "gateway",
            "billing",
            "analytics",
            "forecasting",
            "support",
            "notifications",
            "webhooks");
    for (EventTypeDefinition type : catalog.eventTypes()) {
      assertThat(type.type()).matches("securebase\\.[a-z]+\\.[a-z_]+\\.[a-z_]+");
      assertThat(services).contains(type.service());
    }
  }

  @Test
  void everyTypesExampleMatchesItsSchema() {
    for (EventTypeDefinition type : catalog.eventTypes()) {
      assertThat(catalog.violations(type.type(), catalog.example(type.type())))
          .as(type.type())
          .isEmpty();
    }
  }

  @Test
  void schemasRejectMissingFieldsUnknownFieldsAndBadFormats() {
    String type = "securebase.support.ticket.created";
    ObjectNode missing = catalog.example(type).deepCopy();
    missing.remove("subject");
    ObjectNode unknown = catalog.example(type).deepCopy();
    unknown.put("secret", "x");
    ObjectNode badUuid = catalog.example(type).deepCopy();
    badUuid.put("ticketId", "not-a-uuid");
    ObjectNode badTime = catalog.example(type).deepCopy();
    badTime.put("createdAt", "yesterday");
    for (ObjectNode data : new ObjectNode[] {missing, unknown, badUuid, badTime}) {
      assertThatThrownBy(() -> catalog.validate(type, data))
          .isInstanceOf(InvalidEventDataException.class);
    }
  }

  @Test
  void unknownTypesAreRefused() {
    assertThat(catalog.find("securebase.support.ticket.exploded")).isEmpty();
    assertThatThrownBy(() -> catalog.type("securebase.support.ticket.exploded"))
        .isInstanceOf(UnknownEventTypeException.class);
  }

  @Test
  void theProductsEventsAreAllListed() {
    Set<String> types =
        catalog.eventTypes().stream().map(EventTypeDefinition::type).collect(Collectors.toSet());
    assertThat(types)
        .contains(
            "securebase.support.ticket.created", "securebase.support.ticket.updated",
            "securebase.support.ticket.commented", "securebase.support.ticket.sla_breached",
            "securebase.billing.invoice.created", "securebase.billing.invoice.finalized",
            "securebase.billing.invoice.paid", "securebase.billing.invoice.voided",
            "securebase.billing.usage.threshold_reached", "securebase.analytics.report.generated",
            "securebase.analytics.report.delivered", "securebase.analytics.report.failed",
            "securebase.forecasting.cost.anomaly_detected",
                "securebase.forecasting.budget.threshold_reached",
            "securebase.webhooks.endpoint.disabled", "securebase.gateway.tier.features_published");
  }
}
