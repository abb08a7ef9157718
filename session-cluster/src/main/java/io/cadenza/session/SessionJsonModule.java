package io.cadenza.session;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.cadenza.playback.Command;
import io.cadenza.playback.Event;
import io.cadenza.playback.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Teaches Jackson the playback-sync types without annotating them (playback-sync stays free of
 * framework types): mix-ins give the sealed hierarchies {@link Command}, {@link Event} and {@link
 * Outcome} a {@code "type"} property holding the record's simple name ({@code "Play"}, {@code
 * "StateChanged"}, {@code "Accepted"}), and every permitted subtype is registered under that name,
 * so a new command needs no change here. The records themselves are read through their canonical
 * constructors.
 *
 * <p>Registered by {@link SessionJson} and, through {@code
 * akka.serialization.jackson.jackson-modules} in {@code cadenza-akka.conf}, by Akka's Jackson
 * serializer for the messages that cross nodes. Needs a public no-argument constructor for that.
 */
public final class SessionJsonModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  private interface Typed {}

  public SessionJsonModule() {
    super("cadenza-session");
    setMixInAnnotation(Command.class, Typed.class);
    setMixInAnnotation(Event.class, Typed.class);
    setMixInAnnotation(Outcome.class, Typed.class);
    registerSubtypes(namedSubtypes(Command.class, Event.class, Outcome.class));
  }

  private static NamedType[] namedSubtypes(Class<?>... sealedRoots) {
    List<NamedType> named = new ArrayList<>();
    for (Class<?> root : sealedRoots) {
      for (Class<?> subtype : root.getPermittedSubclasses()) {
        named.add(new NamedType(subtype, subtype.getSimpleName()));
      }
    }
    return named.toArray(NamedType[]::new);
  }
}
