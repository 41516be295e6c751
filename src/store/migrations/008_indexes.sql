-- Lookups that scan whole tables once the data grows: retention and history by creation time,
-- forget-me and the panel views by user, and a turn's panel scores by the turn.
CREATE INDEX sessions_created ON sessions(created_at);
CREATE INDEX drills_facilitator ON drills(facilitator_id);
CREATE INDEX drills_ended ON drills(status, ended_at);
CREATE INDEX drill_participants_user ON drill_participants(user_id);
CREATE INDEX drill_events_user ON drill_events(user_id);
CREATE INDEX mock_interviews_manager ON mock_interviews(manager_id);
CREATE INDEX mock_interviews_candidate ON mock_interviews(candidate_id);
CREATE INDEX mock_panel_user ON mock_panel(user_id);
CREATE INDEX mock_scores_turn ON mock_scores(turn_id);
CREATE INDEX mock_scores_scorer ON mock_scores(scorer_id);
CREATE INDEX drill_timers_drill ON drill_timers(drill_id);
