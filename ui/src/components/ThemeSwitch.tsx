import { THEME_CHOICES, THEME_LABELS, useTheme } from '../lib/theme';

/**
 * System / Light / Dark as a segmented radio group: native radios give the arrow-key behaviour and the "Theme"
 * group name for free. The choice is kept across launches (lib/theme.ts).
 */
export function ThemeSwitch() {
  const [theme, setTheme] = useTheme();
  return (
    <fieldset className="theme-switch">
      <legend className="theme-switch-legend">Theme</legend>
      <div className="theme-switch-options">
        {THEME_CHOICES.map((choice) => (
          <label key={choice} className={choice === theme ? 'theme-option on' : 'theme-option'}>
            <input type="radio" name="theme" value={choice} checked={choice === theme} onChange={() => setTheme(choice)} />
            <span>{THEME_LABELS[choice]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
