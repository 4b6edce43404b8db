package com.securebase.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * JSON types are part of the contract: {@code "name": 42} or {@code "count": "2"} is a 400, not
 * silently converted. Jackson's default scalar coercions are turned off for every service, and a
 * date-time is an RFC 3339 string only: {@code "since": 7} would otherwise be read as seven seconds
 * after 1970 (the Java time deserializers accept epoch numbers whatever the coercion settings).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
  /** Last, after Quarkus has registered its modules: the module registered last is asked first. */
  @Override
  public int priority() {
    return MINIMUM_PRIORITY;
  }

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.registerModule(
        new SimpleModule("securebase-rfc3339-only")
            .addDeserializer(
                OffsetDateTime.class,
                textOnly(OffsetDateTime.class, InstantDeserializer.OFFSET_DATE_TIME))
            .addDeserializer(Instant.class, textOnly(Instant.class, InstantDeserializer.INSTANT)));
  }

  private static <T> JsonDeserializer<T> textOnly(Class<T> type, JsonDeserializer<T> parse) {
    return new StdScalarDeserializer<T>(type) {
      private static final long serialVersionUID = 1L;

      @Override
      public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
        if (!p.hasToken(JsonToken.VALUE_STRING)) {
          @SuppressWarnings("unchecked")
          T never = (T) context.handleUnexpectedToken(type, p);
          return never;
        }
        return parse.deserialize(p, context);
      }
    };
  }
}
