/**
 * What every attack of this plugin shares (ALGORITHMS.md §4): the seeded attack batch, the loop of
 * step → commit → evaluate → stop, and the trace. An attack supplies only an
 * {@link org.bfabench.attacks.core.AttackStep}.
 */
package org.bfabench.attacks.core;
