/**
 * Shared pieces of the model-based tests (`xstate/graph`).
 */
import type { DirectedGraphEdge, DirectedGraphNode } from "xstate/graph";

/**
 * A `serializeState` for `createTestModel` that keys a state by its abstract form plus the step
 * that reached it when that step changed something, so that shortest paths take every transition
 * and not only reach every state. A step that changes nothing abstract keeps its origin's key: it
 * is not a step of the graph at all.
 */
export function transitionKeyed<S extends object>(abstract: (state: S) => string): (state: S, event: unknown, prev: S | undefined) => string {
	const keys = new WeakMap<object, string>();
	return (state, event, prev) => {
		const k = abstract(state);
		let out = k;
		if (event && prev && abstract(prev) === k) out = keys.get(prev) ?? k;
		else if (event && prev) out = `${k} via ${JSON.stringify({ ...(event as object), at: undefined })} from ${abstract(prev)}`;
		keys.set(state, out);
		return out;
	};
}

/** Every edge of a directed graph, its children's included. */
export function edgesOf(node: DirectedGraphNode): DirectedGraphEdge[] {
	return [...node.edges, ...node.children.flatMap(edgesOf)];
}
