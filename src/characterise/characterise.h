// The characterisation of the clusters labelled in a year, from the snapshot:
//  - measured scale: "national" when the cluster reaches beyond its home region — its share of
//    members outside the region (the catalogue's members_outside_region) or of project partners
//    outside the region reaches its threshold — and national or European programmes fund at least
//    the funding threshold of its projects' public aid; else "regional". Partners and aid are
//    those of the projects it labelled that started in the five years up to the year (each
//    participation is a partner, those of unknown region are left out; aid of a programme of
//    scope `regional` in the referential — a Region's aid, the FEDER, a local authority's — is
//    regional, any other national). A share without a base is missing.
//  - sector: the NAF division (two digits) most frequent among the projects it labelled (any
//    year; the first in code order on a tie), with the specialisation of its home region in that
//    sector (foresight::specialisation in the year, or the last year of employment figures if
//    earlier).
//  - overlaps: two clusters or more of the same filière in the same region.
//  - gaps: regions specialised in a sector (a specialisation or size star) where no cluster of
//    the region has that sector.
//  - coherence with the strategies (CESE recommendation 11), when the store holds them: each
//    cluster's filière against the reference of the strategic filière committees (`filiere`),
//    its S3 domains (`cluster.s3_domains`) against the Regions' priority domains (`s3_domain`):
//    a cluster serving none of its home region's priorities while the region has some is
//    "outside the priorities" (`s3_mapped` tells one that names no domain at all from one that
//    serves only other regions'); a domain no labelled cluster serves is a gap of the strategy;
//    a domain two clusters of its own region serve is an overlap; ids naming no row are listed.
//    Only the domains whose period holds the year count; a filière named by its committee's
//    name (a store kept before the reference) is recognised as that committee.
// The figures are described (POLES_JSON): the app layer returns them as they are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/typed_json.h"
#include "snapshot/snapshot.h"

namespace poles::characterise {

// The shares at or above which a cluster acts nationally.
struct CharacterisationThresholds {
  double members_outside = 0.25;  // members outside the home region
  double partners_outside = 0.4;  // project partners outside the home region
  double national_funding = 0.5;  // public aid from national or European programmes
};
POLES_JSON(CharacterisationThresholds, members_outside, partners_outside, national_funding)

// The specialisation of a cluster's home region in its sector (foresight::Specialisation).
struct CharacterisedSpecialisation {
  double jobs = 0;
  std::optional<double> lq;  // missing when the region's or the nation's total is
  int stars = 0;
  bool size_star = false;
  bool specialisation_star = false;
  bool focus_star = false;
};
POLES_JSON(CharacterisedSpecialisation, jobs, lq, stars, size_star, specialisation_star, focus_star)

struct CharacterisedCluster {
  std::string cluster;  // id
  std::string name;
  std::string region;  // home region (INSEE code)
  std::string filiere;
  std::string declared_scale;  // the cluster's own: national | regional
  std::string measured_scale;  // national | regional, from the figures below
  bool scale_mismatch = false;
  std::optional<double> members_outside_region;
  std::optional<double> partners_outside_region;
  std::optional<double> national_funding_share;
  std::string sector;  // NAF division, "" when its projects have none
  std::optional<CharacterisedSpecialisation> specialisation;  // missing without employment figures
  // The strategies: the filière's name in the reference (missing when the store holds no
  // filière, "" when the cluster's filière is not in it), the S3 domains it serves (ids of
  // `s3_domain`), the ids it names that are no domain, and whether it serves none of its home
  // region's priorities although the region has some.
  std::optional<std::string> filiere_name;
  std::string filiere_name_en;  // its English name in the reference, "" when none
  std::vector<std::string> s3_domains;
  std::vector<std::string> s3_unknown;
  bool s3_mapped = false;  // serves at least one domain of the year (any region's)
  bool outside_priorities = false;
};
POLES_JSON(CharacterisedCluster, cluster, name, region, filiere, declared_scale, measured_scale,
           scale_mismatch, members_outside_region, partners_outside_region, national_funding_share,
           sector, specialisation, filiere_name, filiere_name_en, s3_domains, s3_unknown, s3_mapped,
           outside_priorities)

// A priority domain of a Region's S3 and the labelled clusters that serve it (by cluster row).
struct S3Coverage {
  std::string domain;  // id
  std::string region;
  std::string name;
  std::string name_en;  // "" when the strategy gives none
  std::vector<std::string> clusters;
};
POLES_JSON(S3Coverage, domain, region, name, name_en, clusters)

// A strategic filière committee no labelled cluster belongs to.
struct FiliereGap {
  std::string filiere;  // id
  std::string name;
  std::string name_en;
};
POLES_JSON(FiliereGap, filiere, name, name_en)

struct FiliereOverlap {
  std::string filiere;
  std::string region;
  std::vector<std::string> clusters;  // ids, by cluster row
};
POLES_JSON(FiliereOverlap, filiere, region, clusters)

struct CharacterisationGap {
  std::string region;
  std::string sector;
  std::optional<double> lq;
  double jobs = 0;
  int stars = 0;
};
POLES_JSON(CharacterisationGap, region, sector, lq, jobs, stars)

struct Characterisation {
  int year = 0;
  CharacterisationThresholds thresholds;
  std::vector<CharacterisedCluster> clusters;  // labelled in the year, by row
  std::vector<FiliereOverlap> overlaps;        // by filière, then region
  std::vector<CharacterisationGap> gaps;       // by region, then sector
  // The coherence with the strategies (empty when the store holds none).
  std::vector<S3Coverage> s3_overlaps;   // domains two clusters of their own region serve, by id
  std::vector<S3Coverage> s3_gaps;       // domains no labelled cluster serves, by id
  std::vector<FiliereGap> filiere_gaps;  // filières no labelled cluster belongs to, by id
  std::vector<std::string> regions_without_s3;  // home regions of clusters with no domain recorded
};
POLES_JSON(Characterisation, year, thresholds, clusters, overlaps, gaps, s3_overlaps, s3_gaps,
           filiere_gaps, regions_without_s3)

Characterisation characterise(const snapshot::Snapshot& s, int year,
                              const CharacterisationThresholds& t = {});

}  // namespace poles::characterise
