// Efficiency of the clusters by data envelopment analysis (Charnes, Cooper & Rhodes 1978; Banker,
// Charnes & Cooper 1984): how far each cluster's outputs (projects, products, members, services)
// lie from the best practice of the others for its inputs (budget, staff, public money). One LP
// per unit, envelopment form, solved with Clp:
//  - input-oriented: min θ s.t. Σ_j λ_j x_ij <= θ x_io (each input i), Σ_j λ_j y_rj >= y_ro (each
//    output r), λ >= 0; efficiency θ in (0, 1] (the share of its inputs that would do);
//  - output-oriented: max φ s.t. Σ_j λ_j x_ij <= x_io, Σ_j λ_j y_rj >= φ y_ro, λ >= 0; φ >= 1 (how
//    much more it could produce), efficiency 1 / φ;
//  - constant returns to scale (CCR) as above; variable returns (BCC) add Σ_j λ_j = 1. Under
//    constant returns both orientations give the same efficiency; scale efficiency is CRS / VRS.
// The score is radial (Farrell): slacks left after the radial contraction are not maximised in a
// second stage, so a unit on a flat part of the frontier scores 1. Peers are the units with
// λ > 1e-9. Units with an input missing or not positive, or an output missing or negative, are
// not assessed, and none is when fewer than two can be (no error). A unit with every
// output 0 has efficiency 0 output-oriented and under constant returns; input-oriented under
// variable returns, the LP's answer (the share of its inputs the smallest unit uses).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "evaluate/composite.h"

namespace poles::evaluate {

enum class Orientation : uint8_t { kInput, kOutput };
enum class Returns : uint8_t { kConstant, kVariable };

struct DeaUnit {
  bool assessed = false;
  double efficiency = 0;       // θ (input) or 1 / φ (output), in (0, 1]
  double expansion = 0;        // φ (output-oriented; 1 / θ input-oriented); ∞ with no output
  std::vector<double> lambda;  // per unit (0 for units not assessed)
};

// `inputs` and `outputs`: units × inputs and units × outputs (same rows; NaN = missing).
// InvalidArgument when there is no input or no output column, or an LP fails.
Result<std::vector<DeaUnit>> dea(const Table& inputs, const Table& outputs, Orientation o,
                                 Returns r);

}  // namespace poles::evaluate
