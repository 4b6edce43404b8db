package com.securebase.notifications;

import static com.securebase.notifications.NotificationFixtures.NOTIFICATIONS;
import static com.securebase.notifications.NotificationFixtures.PREFERENCES;
import static com.securebase.notifications.NotificationFixtures.WAIT;
import static com.securebase.notifications.NotificationFixtures.awaitFrom;
import static com.securebase.notifications.NotificationFixtures.commented;
import static com.securebase.notifications.NotificationFixtures.inbox;
import static com.securebase.notifications.NotificationFixtures.invoiceFinalized;
import static com.securebase.notifications.NotificationFixtures.member;
import static com.securebase.notifications.NotificationFixtures.person;
import static com.securebase.notifications.NotificationFixtures.problem;
import static com.securebase.notifications.NotificationFixtures.publish;
import static com.securebase.notifications.NotificationFixtures.ticketCreated;
import static com.securebase.notifications.NotificationFixtures.ticketStatusChanged;
import static com.securebase.notifications.NotificationFixtures.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import com.securebase.events.EventEnvelope;
import com.securebase.notifications.NotificationFixtures.Person;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.SmtpServer;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Domain events on the real broker becoming notifications, and the inbox API over them. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "notifications"))
@WithTestResource(SmtpServer.class)
class InboxApiTest {

  @Test
  void anEventNotifiesTheRightUsersOnceAndNobodyElse() {
    UUID tenant = UUID.randomUUID();
    Person agent = member(tenant, "support");
    Person admin = member(tenant, "admin");
    Person requester = member(tenant, "viewer");
    Person analyst = member(tenant, "analyst");
    Person otherTenantsAgent = member(UUID.randomUUID(), "support");
    Person leaver = member(tenant, "support");
    NotificationFixtures.publishUser(leaver, "removed", "removed", 2, "support");
    until(
        "the leaver removed from the directory",
        () ->
            TestDatabase.count(
                "select count(*) from recipient where user_id = ? and status = 'removed'",
                leaver.id()),
        n -> n == 1,
        WAIT);

    EventEnvelope created = ticketCreated(tenant, "VPN is down", "high", requester.id(), null);
    publish(created);
    publish(created); // Kafka is at-least-once: the same event again must not notify twice

    for (Person staff : List.of(agent, admin)) {
      Map<String, Object> n = awaitFrom(staff, created.id(), 1).getFirst();
      assertThat(n.get("type")).isEqualTo("ticket");
      assertThat(n.get("severity")).isEqualTo("warning");
      assertThat(n.get("title")).isEqualTo("New ticket: VPN is down");
      assertThat(n.get("link")).isEqualTo("/v1/support/tickets/" + created.subject());
      assertThat(n.get("read")).isEqualTo(false);
      assertThat(((Map<?, ?>) n.get("metadata")).get("ticketId")).isEqualTo(created.subject());
      assertThat(((Map<?, ?>) n.get("source")).get("eventType"))
          .isEqualTo("securebase.support.ticket.created");
    }
    // A later event proves the duplicate (published before it) was consumed and skipped.
    EventEnvelope later = ticketCreated(tenant, "Second ticket", "low", requester.id(), null);
    publish(later);
    awaitFrom(agent, later.id(), 1);
    assertThat(
            TestDatabase.count(
                "select count(*) from notification where source_event_id = ?", created.id()))
        .isEqualTo(2);
    for (Person outsider : List.of(requester, analyst, otherTenantsAgent, leaver)) {
      assertThat(inbox(outsider, null).getList("items")).isEmpty();
    }
  }

  /**
   * The intake reads from the earliest offset when its group has none committed (so a kill before
   * the first commit skips nothing); what predates the service is consumed but notifies nobody.
   */
  @Test
  void eventsFromBeforeTheServiceExistedAreConsumedButNotifyNobody() {
    UUID tenant = UUID.randomUUID();
    Person agent = member(tenant, "support");
    Person requester = member(tenant, "viewer");
    EventEnvelope created = ticketCreated(tenant, "Old news", "high", requester.id(), null);
    EventEnvelope beforeDeployment =
        new EventEnvelope(
            created.id(),
            created.type(),
            created.source(),
            created.tenantId(),
            created.subject(),
            OffsetDateTime.parse("2020-01-01T00:00:00Z"),
            created.dataSchema(),
            created.data());
    EventEnvelope fresh = ticketCreated(tenant, "Fresh news", "high", requester.id(), null);
    publish(beforeDeployment);
    publish(fresh); // same tenant, same partition: handled after the old one

    awaitFrom(agent, fresh.id(), 1);
    assertThat(
            TestDatabase.count(
                "select count(*) from processed_event where event_id = ?", created.id()))
        .isEqualTo(1);
    assertThat(
            TestDatabase.count(
                "select count(*) from notification where source_event_id = ?", created.id()))
        .isZero();
  }

  @Test
  void internalNotesNeverReachTheRequester() {
    UUID tenant = UUID.randomUUID();
    Person requester = person(tenant, "viewer");
    Person assignee = person(tenant, "support");
    Person colleague = person(tenant, "support");
    EventEnvelope note =
        commented(tenant, requester.id(), assignee.id(), colleague.id(), "internal", "Psst");
    EventEnvelope reply =
        commented(tenant, requester.id(), assignee.id(), assignee.id(), "public", "On it");
    publish(note);
    publish(reply);
    Map<String, Object> n = awaitFrom(requester, reply.id(), 1).getFirst();
    assertThat(n.get("body")).isEqualTo("On it");
    // Same partition (tenant key), so the note was handled before the reply.
    assertThat(awaitFrom(assignee, note.id(), 1).getFirst().get("body")).isEqualTo("Psst");
    assertThat(inbox(requester, null).getList("items")).hasSize(1);
    // The author of the reply is the assignee: not notified of their own comment.
    assertThat(inbox(assignee, null).getList("items.id")).hasSize(1);
  }

  /** Seven notifications for one user: four tickets, three invoices (billing role). */
  private static List<String> sevenFor(Person user) {
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(
          i % 2 == 0
              ? ticketStatusChanged(user.tenant(), "Ticket " + i, user.id())
              : invoiceFinalized(user.tenant(), "INV-" + i, i + "00.00"));
    }
    events.forEach(NotificationFixtures::publish);
    until(
        "seven notifications for " + user.id(),
        () -> inbox(user, "limit=100").getList("items"),
        items -> items.size() == 7,
        WAIT);
    return inbox(user, "sort=oldest&limit=100").getList("items.id");
  }

  @Test
  void filtersSortsAndCursorPagesCoverEveryNotificationOnce() {
    Person user = member(UUID.randomUUID(), "billing");
    List<String> oldestFirst = sevenFor(user);
    assertThat(oldestFirst).hasSize(7);
    List<String> newestFirst = new ArrayList<>(oldestFirst);
    java.util.Collections.reverse(newestFirst);
    // Read the newest and the third newest: unread first puts them last (newest first among each),
    // an order that differs from both newest and oldest.
    List<String> read = List.of(newestFirst.get(0), newestFirst.get(2));
    for (String id : read) {
      given()
          .auth()
          .oauth2(user.token())
          .post(NOTIFICATIONS + "/" + id + "/read")
          .then()
          .statusCode(200)
          .body("read", equalTo(true));
    }
    List<String> unreadFirst = new ArrayList<>(newestFirst);
    unreadFirst.removeAll(read);
    unreadFirst.addAll(read);
    assertThat(unreadFirst).isNotEqualTo(newestFirst).isNotEqualTo(oldestFirst);

    Map<String, List<String>> expected =
        Map.of("newest", newestFirst, "oldest", oldestFirst, "unread_first", unreadFirst);
    for (var sort : expected.entrySet()) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        JsonPath page =
            inbox(
                user,
                "limit=3&sort=" + sort.getKey() + (cursor == null ? "" : "&cursor=" + cursor));
        seen.addAll(page.getList("items.id"));
        cursor = page.getString("nextCursor");
      } while (cursor != null);
      assertThat(seen).as(sort.getKey()).containsExactlyElementsOf(sort.getValue());
    }
    assertThat(inbox(user, "type=billing").getList("items.type"))
        .containsOnly("billing")
        .hasSize(3);
    List<String> tickets = inbox(user, "type=ticket").getList("items.id");
    assertThat(tickets).hasSize(4);
    long readTickets = tickets.stream().filter(read::contains).count();
    assertThat(inbox(user, "type=ticket&read=false").getList("items.id"))
        .hasSize((int) (4 - readTickets))
        .allMatch(tickets::contains);
    assertThat(inbox(user, "read=true").getList("items.id"))
        .containsExactlyInAnyOrderElementsOf(read);
    given()
        .auth()
        .oauth2(user.token())
        .get(NOTIFICATIONS + "/unread-count")
        .then()
        .statusCode(200)
        .body("unreadCount", equalTo(5));
  }

  @Test
  void readUnreadDeleteBulkAndReadAll() {
    Person user = member(UUID.randomUUID(), "billing");
    List<String> ids = sevenFor(user);
    var auth = given().auth().oauth2(user.token());
    auth.post(NOTIFICATIONS + "/" + ids.get(0) + "/read")
        .then()
        .statusCode(200)
        .body("read", equalTo(true))
        .body("readAt", org.hamcrest.Matchers.notNullValue());
    given()
        .auth()
        .oauth2(user.token())
        .post(NOTIFICATIONS + "/" + ids.get(0) + "/unread")
        .then()
        .statusCode(200)
        .body("read", equalTo(false));
    given()
        .auth()
        .oauth2(user.token())
        .delete(NOTIFICATIONS + "/" + ids.get(1))
        .then()
        .statusCode(204);
    problem(
        given().auth().oauth2(user.token()).get(NOTIFICATIONS + "/" + ids.get(1)).then(),
        404,
        "not-found");

    bulk(user, "read", ids.subList(2, 5))
        .statusCode(200)
        .body("changed", equalTo(3))
        .body("unreadCount", equalTo(3));
    bulk(user, "unread", ids.subList(2, 3)).statusCode(200).body("unreadCount", equalTo(4));
    // All or nothing: one id that is not the caller's (deleted above) and nothing changes.
    problem(bulk(user, "delete", List.of(ids.get(5), ids.get(1))), 404, "not-found")
        .body("ids", equalTo(List.of(ids.get(1))));
    given()
        .auth()
        .oauth2(user.token())
        .get(NOTIFICATIONS + "/" + ids.get(5))
        .then()
        .statusCode(200);
    bulk(user, "delete", ids.subList(5, 7)).statusCode(200).body("changed", equalTo(2));

    given()
        .auth()
        .oauth2(user.token())
        .post(NOTIFICATIONS + "/read-all?type=billing")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(user.token())
        .post(NOTIFICATIONS + "/read-all")
        .then()
        .statusCode(200)
        .body("unreadCount", equalTo(0));
    assertThat(inbox(user, "read=false").getList("items")).isEmpty();
    assertThat(inbox(user, null).getList("items")).hasSize(4);
  }

  @Test
  void anotherUsersOrTenantsNotificationIs404OnEveryEndpoint() {
    UUID tenant = UUID.randomUUID();
    Person owner = member(tenant, "billing");
    String id = sevenFor(owner).getFirst();
    Person colleague = person(tenant, "owner", "admin", "billing");
    Person stranger = person(UUID.randomUUID(), "owner");
    for (Person outsider : List.of(colleague, stranger)) {
      for (ById call : ById.values()) {
        notFound(call.on(outsider, id));
      }
      for (String action : List.of("read", "unread", "delete")) {
        problem(bulk(outsider, action, List.of(id)), 404, "not-found");
      }
      given()
          .auth()
          .oauth2(outsider.token())
          .post(NOTIFICATIONS + "/read-all")
          .then()
          .statusCode(200)
          .body("changed", equalTo(0));
      assertThat(inbox(outsider, null).getList("items")).isEmpty();
    }
    given()
        .auth()
        .oauth2(owner.token())
        .get(NOTIFICATIONS + "/" + id)
        .then()
        .statusCode(200)
        .body("read", equalTo(false));
    given()
        .auth()
        .oauth2(owner.token())
        .get(NOTIFICATIONS + "/unread-count")
        .then()
        .body("unreadCount", equalTo(7));
  }

  @Test
  void badInputIsAProblemOnEveryEndpoint() {
    Person user = person(UUID.randomUUID(), "viewer");
    Person admin = person(user.tenant(), "admin");
    for (String query :
        List.of(
            "type=alarm",
            "read=maybe",
            "sort=priority",
            "limit=0",
            "limit=101",
            "limit=x",
            "cursor=zzz",
            "cursor=" + cursorOf("newest|false|9223372036854775807|" + UUID.randomUUID()))) {
      given()
          .auth()
          .oauth2(user.token())
          .get(NOTIFICATIONS + "?" + query)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    // A cursor made for one sort is refused for another.
    String cursor = cursorOf("newest|false|1700000000000000|" + UUID.randomUUID());
    problem(
        given()
            .auth()
            .oauth2(user.token())
            .get(NOTIFICATIONS + "?sort=oldest&cursor=" + cursor)
            .then(),
        400,
        "validation-failed");
    // A malformed id names nothing the caller owns: the same 404 as an unknown one.
    for (ById call : ById.values()) {
      for (String bad : List.of("not-a-uuid", "42", UUID.randomUUID().toString())) {
        notFound(call.on(user, bad));
      }
    }
    problem(
        given().auth().oauth2(user.token()).post(NOTIFICATIONS + "/read-all?type=x").then(),
        400,
        "validation-failed");

    String id = UUID.randomUUID().toString();
    List<String> badBulk =
        new ArrayList<>(
            List.of(
                "{not json",
                "[]",
                "{\"action\":\"archive\",\"ids\":[\"" + id + "\"]}",
                "{\"action\":5,\"ids\":[\"" + id + "\"]}",
                "{\"action\":\"read\",\"ids\":[\"nope\"]}",
                "{\"action\":\"read\",\"ids\":\"" + id + "\"}",
                "{\"action\":\"read\",\"ids\":[]}",
                "{\"action\":\"read\"}",
                "{\"action\":\"read\",\"ids\":[\"" + id + "\"],\"colour\":\"red\"}",
                "{\"action\":\"read\",\"ids\":[null]}"));
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add("\"" + UUID.randomUUID() + "\"");
    }
    badBulk.add("{\"action\":\"read\",\"ids\":[" + String.join(",", many) + "]}");
    for (String body : badBulk) {
      given()
          .auth()
          .oauth2(user.token())
          .contentType(ContentType.JSON)
          .body(body)
          .post(NOTIFICATIONS + "/bulk")
          .then()
          .log()
          .ifValidationFails()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    given()
        .auth()
        .oauth2(user.token())
        .contentType(ContentType.JSON)
        .body("{\"action\":\"read\",\"ids\":[\"" + "x".repeat(70_000) + "\"]}")
        .post(NOTIFICATIONS + "/bulk")
        .then()
        .statusCode(413)
        .contentType("application/problem+json");

    for (String body :
        List.of(
            "{\"preferences\":{\"tickets\":{\"email\":false}}}",
            "{\"preferences\":{\"ticket\":{\"sms\":false}}}",
            "{\"preferences\":{\"ticket\":{\"email\":\"no\"}}}",
            "{\"preferences\":{\"ticket\":null}}",
            "{\"preferences\":[]}",
            "{}",
            "{bad")) {
      for (Person p : List.of(user, admin)) {
        String path = p == user ? PREFERENCES : PREFERENCES + "/defaults";
        given()
            .auth()
            .oauth2(p.token())
            .contentType(ContentType.JSON)
            .body(body)
            .put(path)
            .then()
            .log()
            .ifValidationFails()
            .statusCode(400)
            .contentType("application/problem+json");
      }
    }
    problem(
        given().auth().oauth2(user.token()).get(PREFERENCES + "/defaults").then(),
        403,
        "forbidden");
    problem(
        given()
            .auth()
            .oauth2(user.token())
            .contentType(ContentType.JSON)
            .body("{\"preferences\":{\"ticket\":{\"email\":false}}}")
            .put(PREFERENCES + "/defaults")
            .then(),
        403,
        "forbidden");
    problem(
        given()
            .auth()
            .oauth2(user.token())
            .contentType(ContentType.JSON)
            .body("{\"slackWebhookUrl\":\"https://hooks.slack.com/services/T/B/x\"}")
            .put(NOTIFICATIONS + "/settings")
            .then(),
        403,
        "forbidden");
    for (String body :
        List.of(
            "{\"slackWebhookUrl\":\"http://169.254.169.254/latest/meta-data\"}",
            "{\"slackWebhookUrl\":\"https://hooks.slack.com.evil.test/services/x\"}",
            "{\"slackWebhookUrl\":42}",
            "{}",
            "{\"slackWebhookUrl\":\"https://hooks.slack.com/services/T/B/x\",\"removeSlackWebhook\":true}")) {
      given()
          .auth()
          .oauth2(admin.token())
          .contentType(ContentType.JSON)
          .body(body)
          .put(NOTIFICATIONS + "/settings")
          .then()
          .log()
          .ifValidationFails()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    for (String path :
        List.of(
            NOTIFICATIONS,
            NOTIFICATIONS + "/unread-count",
            PREFERENCES,
            NOTIFICATIONS + "/" + id)) {
      problem(given().get(path).then(), 401, "unauthorized");
    }
    problem(given().auth().oauth2("not.a.jwt").get(NOTIFICATIONS).then(), 401, "unauthorized");
  }

  /** The calls on one notification by its id. */
  private enum ById {
    GET("GET", ""),
    READ("POST", "/read"),
    UNREAD("POST", "/unread"),
    DELETE("DELETE", "");

    private final String method;
    private final String suffix;

    ById(String method, String suffix) {
      this.method = method;
      this.suffix = suffix;
    }

    io.restassured.response.ValidatableResponse on(Person p, String id) {
      return given()
          .auth()
          .oauth2(p.token())
          .request(method, NOTIFICATIONS + "/" + id + suffix)
          .then()
          .log()
          .ifValidationFails();
    }
  }

  /** A 404 problem that carries nothing of a notification. */
  private static void notFound(io.restassured.response.ValidatableResponse r) {
    problem(r, 404, "not-found")
        .body("$", not(hasKey("read")))
        .body("$", not(hasKey("source")))
        .body("$", not(hasKey("metadata")));
  }

  private static io.restassured.response.ValidatableResponse bulk(
      Person p, String action, List<String> ids) {
    return given()
        .auth()
        .oauth2(p.token())
        .contentType(ContentType.JSON)
        .body(Map.of("action", action, "ids", ids))
        .post(NOTIFICATIONS + "/bulk")
        .then();
  }

  private static String cursorOf(String raw) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
