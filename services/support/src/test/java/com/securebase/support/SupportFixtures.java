package com.securebase.support;

import static io.restassured.RestAssured.given;

import com.securebase.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

final class SupportFixtures {
  private SupportFixtures() {}

  static final String TICKETS = "/v1/support/tickets";

  record Person(UUID tenant, UUID id, String token) {}

  static Person person(UUID tenant, String... roles) {
    UUID id = UUID.randomUUID();
    return new Person(tenant, id, TestTokens.user(tenant, id, roles));
  }

  static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("https://securebase.dev/problems/" + slug));
  }

  static String create(Person p, String subject, String priority) {
    return given()
        .auth()
        .oauth2(p.token())
        .contentType(ContentType.JSON)
        .body(
            "{\"subject\":\""
                + subject
                + "\",\"description\":\"Details of "
                + subject
                + "\",\"priority\":\""
                + priority
                + "\",\"tags\":[\"billing\"]}")
        .post(TICKETS)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static ValidatableResponse patch(Person p, String id, String body, String ifMatch) {
    var request = given().auth().oauth2(p.token()).contentType(ContentType.JSON).body(body);
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return request.patch(TICKETS + "/" + id).then();
  }

  static ValidatableResponse comment(Person p, String id, String body, String visibility) {
    return given()
        .auth()
        .oauth2(p.token())
        .contentType(ContentType.JSON)
        .body("{\"body\":\"" + body + "\",\"visibility\":\"" + visibility + "\"}")
        .post(TICKETS + "/" + id + "/comments")
        .then();
  }
}
