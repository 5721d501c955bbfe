/**
 * Progressive Bit Search, the untargeted bit-flip attack of Rakin, He and Fan (ICCV 2019, §4): in-layer
 * ranking of first-order eligible bits ({@link org.bfabench.attacks.pbs.LayerRanking}) and the
 * cross-layer search over growing n ({@link org.bfabench.attacks.pbs.CrossLayerSearch}).
 */
package org.bfabench.attacks.pbs;
