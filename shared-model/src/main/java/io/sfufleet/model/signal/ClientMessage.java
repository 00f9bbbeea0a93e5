package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A message a client sends to the node. The first one on a connection must be {@link Join}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Join.class, name = "join"),
    @JsonSubTypes.Type(value = PublishOffer.class, name = "publishOffer"),
    @JsonSubTypes.Type(value = SubscribeAnswer.class, name = "subscribeAnswer"),
    @JsonSubTypes.Type(value = SetMuted.class, name = "setMuted"),
    @JsonSubTypes.Type(value = SetViewport.class, name = "setViewport"),
    @JsonSubTypes.Type(value = Leave.class, name = "leave"),
    @JsonSubTypes.Type(value = Ping.class, name = "ping"),
})
public sealed interface ClientMessage permits Join, PublishOffer, SubscribeAnswer, SetMuted, SetViewport, Leave,
        Ping {
}
