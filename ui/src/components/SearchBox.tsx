import { forwardRef } from 'react';
import { Icon } from './Icon';

export const SearchBox = forwardRef<
  HTMLInputElement,
  { value: string; onChange: (value: string) => void; label: string; placeholder?: string; shortcut?: boolean }
>(function SearchBox({ value, onChange, label, placeholder, shortcut = false }, ref) {
  return (
    <div className="search">
      <Icon name="search" className="search-icon" size={14} />
      <input
        ref={ref}
        type="search"
        className="input search-input"
        aria-label={label}
        placeholder={placeholder ?? label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            onChange('');
          }
        }}
      />
      {shortcut && !value && (
        <kbd className="search-kbd" aria-hidden="true">
          /
        </kbd>
      )}
    </div>
  );
});
