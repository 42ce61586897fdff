package dev.openshell.api.client;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.decision.DecisionQuery;
import dev.openshell.api.decision.DecisionRecord;
import java.util.stream.Stream;

/** The decision log query of a {@link GatewayClient}. */
public final class DecisionsClient {

    private final GatewayClient client;

    DecisionsClient(GatewayClient client) {
        this.client = client;
    }

    /** The decisions matching {@code query}, newest first. */
    public Stream<DecisionRecord> list(DecisionQuery query) {
        return client.listAll(ApiPaths.DECISIONS, query.toQuery(), DecisionRecord.class);
    }
}
