ALTER TABLE served_cards RESET (toast_tuple_target);
